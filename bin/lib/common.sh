# Shared by bin/tokenroll and bin/test-all: system packages and the build. Sourced, not run.

TOKENROLL_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOKENROLL_JAR="$TOKENROLL_HOME/dist/target/tokenroll.jar"

# Debian packages. The demo needs SoftHSM2 (and OpenSC for pkcs11-tool); the tests also drive a TPM simulator
# behind tpm2-pkcs11 and NSS's softoken, and an MIT KDC (one of them under libfaketime, for clock skew);
# systemd-analyze verifies the agent's units; pcscd with the vsmartcard virtual reader and card gives card events;
# pinentry-tty, on a pseudo-terminal python3 opens, asks for a PIN.
DEMO_PACKAGES="softhsm2 opensc openssl"
TEST_PACKAGES="$DEMO_PACKAGES libnss3-tools swtpm swtpm-tools tpm2-tools libtpm2-pkcs11-1 libtpm2-pkcs11-tools
  tpm2-abrmd libtss2-tcti-tabrmd0 dbus krb5-kdc krb5-admin-server krb5-user faketime systemd
  pcscd libpcsclite1 vsmartcard-vpcd vsmartcard-vpicc python3-virtualsmartcard python3-pycryptodome pinentry-tty yubico-piv-tool
  python3"

# require_packages PKG... : installs what is missing with apt-get when root, else prints the command and fails.
require_packages() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "tokenroll: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
      echo "tokenroll: apt-get install failed" >&2; return 1; }
  else
    echo "tokenroll: missing system packages; install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
}

require_java_and_maven() {
  command -v java >/dev/null || { echo "tokenroll: needs Java 17 or later (apt-get install openjdk-17-jdk-headless)" >&2; return 1; }
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "${v%%.*}" -ge 17 ] 2>/dev/null || { echo "tokenroll: needs Java 17 or later, found $v" >&2; return 1; }
  command -v mvn >/dev/null || { echo "tokenroll: needs Maven (apt-get install maven)" >&2; return 1; }
}

# Builds the runnable jar when it is missing or older than any source or pom.
build_if_needed() {
  if [ -f "$TOKENROLL_JAR" ] && [ -z "$(find "$TOKENROLL_HOME" -path "$TOKENROLL_HOME/*/target" -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$TOKENROLL_JAR" -print -quit)" ]; then
    return 0
  fi
  require_java_and_maven || return 1
  echo "tokenroll: building (mvn package, tests skipped) ..." >&2
  (cd "$TOKENROLL_HOME" && mvn -q -B -DskipTests package -pl dist -am) >&2 || {
    echo "tokenroll: the build failed" >&2; return 1; }
}
