#!/usr/bin/env bash
# Installs the Debian package the build made, as a user would, and checks the installed copy: the launcher on the
# PATH answers --version, the demo runs from /usr/share/tokenroll, and the systemd units verify. CI runs it as
# root after the tests (.ci/run); it removes the package again.
set -euo pipefail
cd "$(dirname "$0")/../../.."
deb=$(ls dist/target/tokenroll_*_all.deb)
export DEBIAN_FRONTEND=noninteractive
dpkg -i "$deb" >/dev/null
trap 'dpkg -r tokenroll >/dev/null' EXIT
test "$(command -v tokenroll)" = /usr/bin/tokenroll
version=$(cd / && tokenroll --version)
echo "installed: $version"
# postinst built the class-data archive with the demo (SoftHSM2 is installed here); the launcher maps it
test -s /var/cache/tokenroll-cds/tokenroll.jsa || { echo "no class-data archive after installation" >&2; exit 1; }
cds_log=$(cd / && TOKENROLL_JAVA_OPTS="-Xlog:cds=info" tokenroll --version | grep -c "Mapped dynamic region" || true)
[ "$cds_log" -gt 0 ] || { echo "the launcher does not use the class-data archive" >&2; exit 1; }
echo "installed: class-data archive built and used"
out=$(cd / && HOME=$(mktemp -d) tokenroll demo 2>&1) || { echo "$out"; echo "the installed demo failed" >&2; exit 1; }
echo "$out" | grep -q "COMPLETED" || { echo "$out"; echo "the installed demo did not complete" >&2; exit 1; }
echo "installed demo: COMPLETED"
# the agent starts with its own JVM settings (/usr/share/tokenroll/agent.jvm.options) and checks its configuration
set +e
agent_out=$(cd / && HOME=$(mktemp -d) tokenroll agent --config /nonexistent/agent.json 2>&1)
agent_code=$?
set -e
[ "$agent_code" -eq 2 ] && echo "$agent_out" | grep -q "agent.json" || {
  echo "$agent_out"; echo "the installed agent did not start as expected (exit $agent_code)" >&2; exit 1; }
echo "installed agent: starts, refuses a missing configuration"
systemd-analyze verify /usr/lib/systemd/system/tokenroll-agent.service
echo "systemd-analyze verify: the system unit is valid"
