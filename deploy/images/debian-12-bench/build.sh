#!/usr/bin/env bash
# Builds the benchmark template's root filesystem: the Debian 12 minimal rootfs
# (deploy/images/debian-12/build.sh) copied and given the packages listed in ./packages with apt-get
# in a chroot. Operators' report runs only; never offered to customers.
# Output: $SLICE_DATA/templates/debian-12-bench/rootfs, rebuilt only when this recipe changes (this
# script, the package list, or the debian-12 rootfs it derives from).
# Copying and adding packages was measured faster than a debootstrap of its own with the extra
# packages (drivers/libvirt/README.md, "Benchmark template").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../lib/common.sh"

base="$SLICE_DATA/templates/debian-12"
out="$SLICE_DATA/templates/debian-12-bench"
[ -f "$base/rootfs.recipe" ] || die "the debian-12 rootfs is missing; run deploy/images/debian-12/build.sh first"
recipe=$( { cat "$here/build.sh" "$here/packages"; cat "$base/rootfs.recipe"; } | sha256sum | cut -c1-16)
if [ -f "$out/rootfs.recipe" ] && [ "$(cat "$out/rootfs.recipe")" = "$recipe" ]; then
  log "debian-12-bench rootfs is current ($recipe)"
  exit 0
fi

need_root
mkdir -p "$out"
work=$(mktemp -d "$out/.rootfs.XXXXXX")
root="$work/rootfs"
# Never let rm cross into the chroot's /proc.
cleanup() {
  mountpoint -q "$root/proc" 2>/dev/null && umount "$root/proc"
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
started=$(date +%s)
cp -a "$base/rootfs" "$root"
packages=$(grep -v '^#' "$here/packages" | xargs)
log "installing into a copy of debian-12: $packages"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# Packages' maintainer scripts must not start daemons inside the chroot.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
in_root() { chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
{ in_root apt-get update -qq && in_root apt-get install -y -qq --no-install-recommends $packages; } >"$work/apt.log" 2>&1 \
  || { tail -30 "$work/apt.log" >&2; die "apt-get install in the chroot failed"; }
umount "$root/proc"
for tool in sysbench fio iperf3 perf qemu-ga; do
  [ -x "$root/usr/bin/$tool" ] || [ -x "$root/usr/sbin/$tool" ] || die "$tool is missing after the install"
done
# Keep the template free of host-specific state, as the debian-12 rootfs is.
rm -f "$root/usr/sbin/policy-rc.d"
cp -a "$base/rootfs/etc/resolv.conf" "$root/etc/resolv.conf"
in_root apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/var/cache/debconf/*-old
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id" "$root"/etc/ssh/ssh_host_*
rm -rf "$out/rootfs.old"
[ -d "$out/rootfs" ] && mv "$out/rootfs" "$out/rootfs.old"
mv "$root" "$out/rootfs"
rm -rf "$out/rootfs.old"
echo "$recipe" > "$out/rootfs.recipe"
log "debian-12-bench rootfs built ($recipe) in $(( $(date +%s) - started )) s: $(du -sh "$out/rootfs" | cut -f1)"
