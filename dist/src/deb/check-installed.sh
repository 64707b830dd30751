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
out=$(cd / && HOME=$(mktemp -d) tokenroll demo 2>&1) || { echo "$out"; echo "the installed demo failed" >&2; exit 1; }
echo "$out" | grep -q "COMPLETED" || { echo "$out"; echo "the installed demo did not complete" >&2; exit 1; }
echo "installed demo: COMPLETED"
systemd-analyze verify /usr/lib/systemd/system/tokenroll-agent.service
echo "systemd-analyze verify: the system unit is valid"
