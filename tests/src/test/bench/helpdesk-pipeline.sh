#!/usr/bin/env bash
# The shell pipeline a helpdesk would script to provision cards with stock tools, the reference that
# ProvisionBenchmark measures `tokenroll provision` against (docs/benchmarks.md). For each token label read from
# stdin, one after the other: create the MIM CM request, bind the card, read the generation options
# (curl, jq), generate the key on the token (pkcs11-tool), build and sign the CSR there (openssl req through the
# pkcs11 engine, libengine-pkcs11-openssl), submit it, take the leaf out of the CMC response (openssl pkcs7), write
# it next to the key (pkcs11-tool), and complete the request. No retries, no journal, PIN on the command line:
# what such scripts do, not what they should.
#
# usage: helpdesk-pipeline.sh <server-url> <ca.pem> <user> <password-file> <template-name> <module> <pin-file>
#                             <key-type: EC:prime256v1 | RSA:2048>   < labels
set -euo pipefail
server=${1%/}; ca=$2; user=$3; password=$(cat "$4"); module=$6; pin=$(cat "$7"); keytype=$8
api="$server/CertificateManagement/api/v1.0"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cm() { # method route [json]
  curl -sS --fail --cacert "$ca" -u "$user:$password" -X "$1" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "$api/$2"
}
template=$(cm GET profiletemplates | jq -r --arg name "$5" \
  '.[] | select((.Name // .name) == $name) | (.Uuid // .uuid)')
[ -n "$template" ] || { echo "no template '$5'" >&2; exit 2; }
while read -r label; do
  rid=$(cm POST requests "{\"datacollection\":[],\"type\":\"Enroll\",\"profiletemplateuuid\":\"$template\",\"comment\":\"\"}" \
    | jq -r . | sed 's|.*/||')
  cardid=$(cat /proc/sys/kernel/random/uuid)
  cm POST smartcards "{\"requestid\":\"$rid\",\"cardid\":\"$cardid\",\"atr\":\"3b00\"}" > /dev/null
  cm GET "requests/$rid/certificaterequestgenerationoptions" > "$work/options.json"
  id=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
  pkcs11-tool --module "$module" --token-label "$label" --login --pin "$pin" --keypairgen --key-type "$keytype" \
    --id "$id" --label "$label" --usage-sign > /dev/null 2>&1
  csr=$(openssl req -new -engine pkcs11 -keyform engine \
    -key "pkcs11:token=$label;id=$(echo "$id" | sed 's/../%&/g');type=private;pin-value=$pin" \
    -subj "/CN=$label" -outform DER 2> /dev/null | base64 -w0)
  cm POST "requests/$rid/certificatedata" "{\"pfxpassword\":\"\",\"certificaterequests\":[\"$csr\"]}" \
    | jq -r '.[0].Pkcs7' | tr -d '\r\n' | base64 -d > "$work/cmc.der"
  openssl pkcs7 -inform DER -in "$work/cmc.der" -print_certs 2> /dev/null \
    | awk -v dir="$work" '/BEGIN CERT/{n++; p=1} p{print > (dir "/cert" n ".pem")} /END CERT/{p=0}'
  for c in "$work"/cert*.pem; do
    if ! openssl x509 -in "$c" -noout -ext basicConstraints 2> /dev/null | grep -q 'CA:TRUE'; then
      openssl x509 -in "$c" -outform DER -out "$work/leaf.der"
    fi
  done
  pkcs11-tool --module "$module" --token-label "$label" --login --pin "$pin" --write-object "$work/leaf.der" \
    --type cert --id "$id" --label "$label" > /dev/null 2>&1
  cm PUT "requests/$rid" '{"status":"Completed"}' > /dev/null
  rm -f "$work"/cert*.pem "$work/leaf.der" "$work/cmc.der"
  echo "$label enrolled"
done
