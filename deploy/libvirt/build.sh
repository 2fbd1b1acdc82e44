#!/usr/bin/env bash
# Builds the x86-64 form of an OS template for the libvirt driver (QEMU/KVM and Xen PV), from the
# template's rootfs (deploy/images/<template>/build.sh) and Debian's cloud kernel:
#   $SLICE_DATA/templates/<template>/x86_64/<recipe>/vmlinuz     linux-image-cloud-amd64, direct kernel boot
#   $SLICE_DATA/templates/<template>/x86_64/<recipe>/initrd.img  busybox + disk driver modules (guest/init)
#   $SLICE_DATA/templates/<template>/x86_64/<recipe>/rootfs.img  raw ext4 base image for qcow2 overlays
#   $SLICE_DATA/templates/<template>/x86_64/current -> <recipe>  what new guests use
# Usage: deploy/libvirt/build.sh [template]   (default debian-12, the customers' template;
#        debian-12-bench is the operators' benchmark template, whose rootfs has qemu-guest-agent)
# <recipe> hashes every input (this script, guest/*, the rootfs's own recipe, the kernel package
# version); it is rebuilt only when that changes. A new build never touches an older directory:
# existing guests' overlays and domains keep referring to the base image they were made from.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"

name=${1:-debian-12}
[[ "$name" =~ ^[a-z0-9][a-z0-9.-]*$ ]] || die "template name '$name' is not valid"
template="$SLICE_DATA/templates/$name"
out="$template/x86_64"
[ -f "$template/rootfs.recipe" ] || die "the $name rootfs is missing; run deploy/images/$name/build.sh first"

# The kernel package the metapackage points at today; a new Debian kernel changes the recipe.
kernel_pkg() { apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'; }
pkg=$(kernel_pkg)
if [ -z "$pkg" ]; then
  need_root
  apt-get update -qq
  pkg=$(kernel_pkg)
fi
[ -n "$pkg" ] || die "apt knows no linux-image-cloud-amd64; check the host's apt sources"
kernel_version=$(apt-cache policy "$pkg" | awk '/Candidate:/ { print $2 }')

recipe=$( { cat "$here/build.sh" "$here"/guest/* "$here/../guest/slice-firstboot"; cat "$template/rootfs.recipe"; echo "$pkg $kernel_version"; } \
          | sha256sum | cut -c1-16)
if [ -f "$out/$recipe/rootfs.img" ] && [ "$(readlink "$out/current" 2>/dev/null)" = "$recipe" ]; then
  log "$name x86_64 image is current ($recipe)"
  exit 0
fi

need_root
for tool in dpkg-deb mkfs.ext4 cpio depmod modprobe; do
  command -v "$tool" >/dev/null || die "$tool is missing; run deploy/libvirt/setup.sh"
done
[ -x /bin/busybox ] || die "busybox-static is missing; run deploy/libvirt/setup.sh"
mkdir -p "$template"
work=$(mktemp -d "$template/.x86_64.XXXXXX")
trap 'rm -rf "$work"' EXIT

log "fetching $pkg $kernel_version"
(cd "$work" && apt-get download "$pkg" >/dev/null 2>"$work/download.log") \
  || { cat "$work/download.log" >&2; die "could not download $pkg"; }
dpkg-deb -x "$work"/"$pkg"_*.deb "$work/kernel"
kver=${pkg#linux-image-}
depmod -b "$work/kernel" "$kver"

# Module files of a module list section with their dependencies, in load order.
modules_of() {
  local section=$1 name
  grep -E "^$section " "$here/guest/modules" | awk '{ print $2 }' | while read -r name; do
    modprobe -d "$work/kernel" -S "$kver" --show-depends "$name" | awk '$1 == "insmod" { print $2 }'
  done | awk '!seen[$0]++'
}

log "assembling the root image"
cp -a "$template/rootfs" "$work/rootfs"
root="$work/rootfs"
mkdir -p "$root/tmp/slice-debs"
(cd "$root/tmp/slice-debs" && apt-get download $(grep -v '^#' "$here/guest/packages") >/dev/null 2>"$work/download.log") \
  || { cat "$work/download.log" >&2; die "could not download the image's extra packages"; }
chroot "$root" sh -c 'dpkg -i /tmp/slice-debs/*.deb' >"$work/dpkg.log" 2>&1 \
  || { tail -20 "$work/dpkg.log" >&2; die "could not install the image's extra packages"; }
rm -rf "$root/tmp/slice-debs" "$root"/var/log/dpkg.log "$root"/var/cache/debconf/*-old
# Every guest gets its own machine id at first boot.
rm -f "$root/var/lib/dbus/machine-id"
: > "$root/etc/machine-id"
# A template with qemu-guest-agent (debian-12-bench) gets it started with systemd, on the port's
# devtmpfs node: the initrd loads virtio_console for it (see guest/slice-guest-agent.service).
guest_agent=0
[ -x "$root/usr/sbin/qemu-ga" ] && guest_agent=1
modules_of image > "$work/image-modules"
modules_of initrd >> "$work/image-modules"
while read -r path; do
  rel=${path#"$work/kernel"}
  install -D -m 644 "$path" "$root$rel"
done < "$work/image-modules"
cp "$work/kernel/lib/modules/$kver/modules.order" "$work/kernel/lib/modules/$kver/modules.builtin"* "$root/lib/modules/$kver/"
depmod -b "$root" "$kver"
# The serial console's getty starts with systemd (see the unit); SSH waits until the prompt is up.
install -m 644 "$here/guest/slice-serial-getty.service" "$root/etc/systemd/system/slice-serial-getty.service"
mkdir -p "$root/etc/systemd/system/sysinit.target.wants"
ln -sf ../slice-serial-getty.service "$root/etc/systemd/system/sysinit.target.wants/slice-serial-getty.service"
ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
# No graphical session: multi-user is the whole boot.
ln -sf /lib/systemd/system/multi-user.target "$root/etc/systemd/system/default.target"
install -D -m 644 "$here/guest/after-login-prompt.conf" "$root/etc/systemd/system/ssh.service.d/after-login-prompt.conf"
# A serial console carries no window size: the login asks the terminal for it (guest/resize, guest/serial-size.sh).
install -D -m 755 "$here/guest/resize" "$root/usr/local/bin/resize"
install -D -m 644 "$here/guest/serial-size.sh" "$root/etc/profile.d/slice-serial-size.sh"
if [ "$guest_agent" = 1 ]; then
  install -D -m 755 "$here/guest/slice-guest-agent" "$root/usr/local/sbin/slice-guest-agent"
  install -m 644 "$here/guest/slice-guest-agent.service" "$root/etc/systemd/system/slice-guest-agent.service"
  ln -sf ../slice-guest-agent.service "$root/etc/systemd/system/sysinit.target.wants/slice-guest-agent.service"
  ln -sf /dev/null "$root/etc/systemd/system/qemu-guest-agent.service"
fi
# Boot time matters (guests start under emulation too): a volatile journal needs no flush, and
# periodic maintenance jobs, the static-nodes helper (kmod is not in the image), the journal flush
# (nothing to flush) and utmp boot records (on the way to the login prompt) are left out,
# and so is ifupdown's networking.service: the initrd (guest/init) configures eth0 from the seed.
# Also left out: module loads for features a Slice guest does not use (loop, fuse, DRM, device
# mapper, configfs, pstore; kmod is not even in the image), debug/tracing/hugepage/mqueue/binfmt
# mounts, the root remount (the initrd mounts it read-write) and the random seed (virtio-rng
# seeds the kernel's pool before systemd starts). Each is a process or mount that costs a
# noticeable part of a second under emulation.
mkdir -p "$root/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=8M\n' > "$root/etc/systemd/journald.conf.d/slice.conf"
for unit in kmod-static-nodes.service apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
            e2scrub_all.timer e2scrub_reap.service fstrim.timer getty@tty1.service \
            networking.service ifupdown-pre.service systemd-journal-flush.service \
            systemd-update-utmp.service systemd-update-utmp-runlevel.service \
            modprobe@loop.service modprobe@fuse.service modprobe@efi_pstore.service \
            modprobe@drm.service modprobe@dm_mod.service modprobe@configfs.service \
            dev-mqueue.mount dev-hugepages.mount sys-kernel-debug.mount sys-kernel-tracing.mount \
            sys-kernel-config.mount sys-fs-fuse-connections.mount proc-sys-fs-binfmt_misc.automount \
            systemd-binfmt.service systemd-remount-fs.service systemd-modules-load.service \
            systemd-random-seed.service systemd-pstore.service systemd-tmpfiles-clean.timer; do
  ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
# systemd runs every generator as a process before it starts any unit. Only the getty generator
# (the Xen console) and the debug generator (systemd.mask= and the like on the kernel command
# line) do anything for a Slice guest; no encrypted, verity or GPT-discovered disks, no fstab
# entries, no SysV scripts without a native unit, no rc.local, no hibernation.
mkdir -p "$root/etc/systemd/system-generators"
for generator in systemd-cryptsetup-generator systemd-fstab-generator systemd-gpt-auto-generator \
                 systemd-hibernate-resume-generator systemd-integritysetup-generator \
                 systemd-rc-local-generator systemd-run-generator systemd-system-update-generator \
                 systemd-sysv-generator systemd-veritysetup-generator; do
  ln -sf /dev/null "$root/etc/systemd/system-generators/$generator"
done
# The initrd mounts the root read-write; an fstab entry for it would only make systemd wait for
# udev to announce the disk and remount it.
printf '# / is mounted read-write by the initrd (Slice x86-64 image)\n' > "$root/etc/fstab"
# The image is already "updated": without these stamps the first boot runs sysusers, ldconfig,
# hwdb and catalog updates, seconds under emulation for nothing.
touch "$root/etc/.updated" "$root/var/.updated"
# The Xen console (hvc0) gets its stock getty from the kernel's console= argument.
size_mib=$(( $(du -sm "$root" | cut -f1) * 13 / 10 + 64 ))
truncate -s "${size_mib}M" "$work/rootfs.img"
mkfs.ext4 -q -F -L slice-root -d "$root" -E root_owner=0:0 "$work/rootfs.img"

log "building the initrd"
initrd="$work/initrd"
mkdir -p "$initrd"/{bin,dev,proc,sys,etc,newroot}
cp /bin/busybox "$initrd/bin/busybox"
install -m 755 "$here/guest/init" "$initrd/init"
install -m 755 "$here/../guest/slice-firstboot" "$initrd/bin/slice-firstboot"
: > "$initrd/etc/slice-modules"
{ modules_of initrd; if [ "$guest_agent" = 1 ]; then modules_of agent; fi; } | while read -r path; do
  rel=${path#"$work/kernel"}
  install -D -m 644 "$path" "$initrd$rel"
  echo "$rel" >> "$initrd/etc/slice-modules"
done
(cd "$initrd" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.img"
cp "$work/kernel/boot/vmlinuz-$kver" "$work/vmlinuz"

mkdir -p "$out"
echo "$kver" > "$work/kernel-release"
rm -rf "$out/$recipe" "$out/$recipe.tmp"
mkdir "$out/$recipe.tmp"
mv "$work/vmlinuz" "$work/initrd.img" "$work/rootfs.img" "$work/kernel-release" "$out/$recipe.tmp/"
mv "$out/$recipe.tmp" "$out/$recipe"
ln -sfn "$recipe" "$out/current.tmp"
mv -T "$out/current.tmp" "$out/current"
log "$name x86_64 image built ($recipe): kernel $kver, rootfs.img ${size_mib} MiB, initrd $(du -k "$out/$recipe/initrd.img" | cut -f1) KiB"

# Older builds stay while some guest's overlay still names their base image (qcow2 keeps the
# backing file's path in its header); unused ones are removed.
for old in "$out"/*/; do
  old=${old%/}
  [ "$(basename "$old")" = "$recipe" ] && continue
  [ -L "$old" ] && continue
  if ! grep -rlqF "$old/rootfs.img" "$SLICE_DATA/libvirt/volumes" 2>/dev/null; then
    rm -rf "$old"
    log "removed unused x86_64 build $(basename "$old")"
  fi
done
