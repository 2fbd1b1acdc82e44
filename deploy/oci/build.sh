#!/usr/bin/env bash
# Builds the OCI driver's host artifacts, cached by a recipe hash:
#   $SLICE_DATA/bin/slice-oci-console   the console keeper (one detached process per running container
#                                       that holds its pty master and serves attach clients)
# The container root filesystems come straight from $SLICE_DATA/templates/<name>/rootfs
# (deploy/images/debian-12/build.sh) as the read-only lower layer of each container's overlay.
# Idempotent; safe to run again. Usage: deploy/oci/build.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"

out="$SLICE_DATA/bin"
keeper="$out/slice-oci-console"
recipe=$({ cat "$here/build.sh" "$here/console-keeper.c"; gcc --version | head -1; } | sha256sum | cut -c1-16)
if [ -x "$keeper" ] && [ -f "$keeper.recipe" ] && [ "$(cat "$keeper.recipe")" = "$recipe" ]; then
  log "oci: console keeper is current ($recipe)"
  exit 0
fi
command -v gcc >/dev/null || die "gcc is missing; run deploy/oci/setup.sh first"
mkdir -p "$out"
tmp=$(mktemp "$out/.slice-oci-console.XXXXXX")
trap 'rm -f "$tmp"' EXIT
gcc -std=c11 -O2 -Wall -Wextra -Werror -o "$tmp" "$here/console-keeper.c"
chmod 0755 "$tmp"
mv "$tmp" "$keeper"
echo "$recipe" > "$keeper.recipe"
log "oci: console keeper built ($recipe)"
