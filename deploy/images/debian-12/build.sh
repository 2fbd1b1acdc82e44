#!/usr/bin/env bash
# Builds the Debian 12 minimal root filesystem with debootstrap from Debian's packages.
# Output: $SLICE_DATA/templates/debian-12/rootfs, rebuilt only when this recipe changes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../lib/common.sh"

out="$SLICE_DATA/templates/debian-12"
recipe=$(cat "$here/build.sh" "$here/packages" | sha256sum | cut -c1-16)
if [ -f "$out/rootfs.recipe" ] && [ "$(cat "$out/rootfs.recipe")" = "$recipe" ]; then
  log "debian-12 rootfs is current ($recipe)"
  exit 0
fi

need_root
command -v debootstrap >/dev/null || apt_install debootstrap
mkdir -p "$out"
work=$(mktemp -d "$out/.rootfs.XXXXXX")
trap 'rm -rf "$work"' EXIT
include=$(grep -v '^#' "$here/packages" | xargs | tr ' ' ',')
log "debootstrap bookworm into $work (mirror $(debian_mirror))"
debootstrap --variant=minbase --include="$include" bookworm "$work/rootfs" "$(debian_mirror)" >"$work/debootstrap.log" 2>&1 \
  || { tail -30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
# Keep the template small and free of host-specific state.
chroot "$work/rootfs" apt-get clean
rm -rf "$work/rootfs"/var/lib/apt/lists/* "$work/rootfs"/var/log/*.log
: > "$work/rootfs/etc/machine-id"
rm -f "$work/rootfs"/etc/ssh/ssh_host_*   # each guest generates its own keys
rm -rf "$out/rootfs"
mv "$work/rootfs" "$out/rootfs"
echo "$recipe" > "$out/rootfs.recipe"
log "debian-12 rootfs built ($recipe): $(du -sh "$out/rootfs" | cut -f1)"
