#!/usr/bin/env bash
# Builds the User-Mode Linux form of an OS template: the template rootfs plus what a UML guest needs
# (fstab for /dev/ubda, a getty on the console, Slice's first-boot unit, the UML kernel modules), packed
# into an ext4 image with mkfs.ext4 -d. Guests boot a copy-on-write ubd over it.
#
# Usage: deploy/uml/build.sh [TEMPLATE...]   (default: debian-12, and debian-12-bench when its rootfs is built)
# A benchmark template (a name ending in -bench) also gets Slice's guest agent on the agent line /dev/ttyS1
# (deploy/guest-agent), through which benchmark runs execute their workloads; customers' templates never do.
#
# Output: $SLICE_DATA/templates/<TEMPLATE>/uml/<recipe>/{rootfs,base-<MiB>M.img} and uml/current
# naming the recipe. Each recipe gets its own directory because guests' COW files point at their
# base image by path and mtime: a rebuilt base must never replace one that guests still use.
# The driver packs further sizes from <recipe>/rootfs on demand (an image's size is the guest's disk).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"

sizes=${SLICE_UML_BASE_SIZES:-2048}     # base sizes (MiB) to pack now; others are packed on first use
uml=/usr/local/lib/slice/uml/current
[ -x "$uml/linux.uml" ] || die "the UML kernel is missing; run deploy/uml/setup.sh first"

build_template() {
name=$1
template="$SLICE_DATA/templates/$name"
src="$template/rootfs"
out="$template/uml"
[ -d "$src" ] || die "template rootfs $src is missing; run deploy/images/$name/build.sh first"
bench=0
agent_recipe=
case "$name" in
  *-bench)
    bench=1
    bash "$here/../guest-agent/build.sh"
    agent="$SLICE_DATA/guest-agent/x86_64/slice-guest-agent"
    agent_recipe="$(cat "$agent.recipe") $(sha256sum < "$here/../guest-agent/slice-guest-agent.service")"
    ;;
esac

kernel=$(ls "$uml/modules" | sort -V | tail -1)
recipe=$( (cat "$here/build.sh" "$here"/guest/* "$here/../guest/slice-firstboot"; cat "$template/rootfs.recipe"; echo "$kernel"; echo "$agent_recipe") | sha256sum | cut -c1-16)
dir="$out/$recipe"

if [ ! -f "$dir/rootfs.done" ]; then
  need_root
  mkdir -p "$out"
  work=$(mktemp -d "$out/.build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  log "uml: staging the $name rootfs for recipe $recipe"
  cp -a "$src" "$work/rootfs"
  r="$work/rootfs"
  install -m 0644 "$here/guest/fstab" "$r/etc/fstab"
  install -m 0755 "$here/../guest/slice-firstboot" "$r/usr/local/sbin/slice-firstboot"
  install -m 0644 "$here/guest/slice-firstboot.service" "$r/etc/systemd/system/slice-firstboot.service"
  ln -sf /etc/systemd/system/slice-firstboot.service "$r/etc/systemd/system/sysinit.target.wants/"
  # Each guest makes its own SSH host keys on first boot, beside (not before) the console login.
  install -m 0644 "$here/guest/slice-sshkeys.service" "$r/etc/systemd/system/slice-sshkeys.service"
  ln -sf /etc/systemd/system/slice-sshkeys.service "$r/etc/systemd/system/multi-user.target.wants/"
  # The console is UML's con0 (/dev/console): one getty there; no VT gettys (tty1 is not wired up).
  rm -f "$r/etc/systemd/system/getty.target.wants/getty@tty1.service"
  install -m 0644 "$here/guest/console-getty.service" "$r/etc/systemd/system/console-getty.service"
  ln -sf /etc/systemd/system/console-getty.service "$r/etc/systemd/system/getty.target.wants/"
  # No udev: UML's devices are fixed at boot and devtmpfs has their nodes; udev's coldplug of every
  # device is the largest part of a UML boot. ifupdown brings eth0 up without it ("auto eth0").
  for unit in systemd-udevd.service systemd-udevd-control.socket systemd-udevd-kernel.socket \
              systemd-udev-trigger.service systemd-udev-settle.service ifupdown-pre.service \
              e2scrub_reap.service modprobe@loop.service modprobe@dm_mod.service modprobe@drm.service \
              modprobe@efi_pstore.service modprobe@fuse.service modprobe@configfs.service \
              kmod-static-nodes.service systemd-random-seed.service systemd-sysusers.service; do
    ln -sf /dev/null "$r/etc/systemd/system/$unit"
  done
  rm -f "$r/etc/systemd/system/multi-user.target.wants/e2scrub_reap.service"
  # Generators for hardware and boot setups a UML guest never has; each is a process at the busiest moment.
  mkdir -p "$r/etc/systemd/system-generators"
  for generator in systemd-cryptsetup-generator systemd-gpt-auto-generator systemd-hibernate-resume-generator \
                   systemd-integritysetup-generator systemd-veritysetup-generator systemd-system-update-generator \
                   systemd-getty-generator; do
    ln -sf /dev/null "$r/etc/systemd/system-generators/$generator"
  done
  for unit in networking.service ssh.service; do
    install -D -m 0644 "$here/guest/after-console.conf" "$r/etc/systemd/system/$unit.d/slice-after-console.conf"
  done
  ln -sf /dev/null "$r/etc/systemd/system/getty-static.service"
  # Ctrl-Alt-Del (mconsole 'cad') is the guest's power button: a clean power-off, not a reboot.
  ln -sf /lib/systemd/system/poweroff.target "$r/etc/systemd/system/ctrl-alt-del.target"
  # Periodic maintenance that only costs a small guest memory and CPU; the host does the housekeeping.
  rm -f "$r"/etc/systemd/system/timers.target.wants/{apt-daily-upgrade,apt-daily,dpkg-db-backup,e2scrub_all}.timer
  # No pstore or hardware clock in UML.
  rm -f "$r/etc/systemd/system/sysinit.target.wants/systemd-pstore.service"
  mkdir -p "$r/lib/modules"
  cp -a "$uml/modules/$kernel" "$r/lib/modules/$kernel"
  if [ "$bench" = 1 ]; then
    # The agent line is UML's second serial line (ssl1, the driver's named pipes on the host).
    install -m 0755 "$agent" "$r/usr/local/sbin/slice-guest-agent"
    install -m 0644 "$here/../guest-agent/slice-guest-agent.service" "$r/etc/systemd/system/slice-guest-agent.service"
    ln -sf /etc/systemd/system/slice-guest-agent.service "$r/etc/systemd/system/multi-user.target.wants/"
  fi
  mkdir -p "$dir"
  rm -rf "$dir/rootfs"
  mv "$r" "$dir/rootfs"
  touch "$dir/rootfs.done"
fi

# Packs the staged rootfs into a sparse ext4 image of the given size; the same step the driver runs.
pack() {
  local mib=$1 img="$dir/base-${1}M.img"
  [ -f "$img" ] && return 0
  need_root
  local tmp="$dir/.base-${mib}M.img.$$"
  rm -f "$tmp"
  mkfs.ext4 -q -F -L slice-root -d "$dir/rootfs" -E lazy_itable_init=0,lazy_journal_init=0 "$tmp" "${mib}M" >/dev/null \
    || { rm -f "$tmp"; die "mkfs.ext4 failed for $img"; }
  mv "$tmp" "$img"
  log "uml: packed $img"
}
for mib in $sizes; do pack "$mib"; done
echo "$recipe" > "$out/.current.$$" && mv "$out/.current.$$" "$out/current"
# Earlier recipes stay while a guest's disk still reads through to one of their base images.
for old in "$out"/*/; do
  r=$(basename "$old")
  [ "$r" = "$recipe" ] && continue
  if ! grep -qs "/templates/$name/uml/$r/" "$SLICE_DATA"/uml/*/guest.properties; then
    rm -rf "$old"
    log "uml: removed unused image recipe $r"
  fi
done
log "uml: $name image current ($recipe)"
}

if [ $# -eq 0 ]; then
  set -- debian-12
  [ -d "$SLICE_DATA/templates/debian-12-bench/rootfs" ] && set -- debian-12 debian-12-bench
fi
# Each template in a process of its own: the staging trap and the variables stay per template.
for t in "$@"; do ( build_template "$t" ); done
