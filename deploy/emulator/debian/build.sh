#!/usr/bin/env bash
# Builds the riscv64 OS template for Slice's emulator from Debian's packages: Debian 13 "trixie" riscv64
# (debootstrap --foreign --variant=minbase + packages; the second stage runs under qemu-user-static through
# binfmt_misc on this x86 host), with Debian's own kernel, an initramfs from initramfs-tools, sysvinit, SSH,
# a root login on ttyS0 and Slice's first-boot settings: the file /etc/slice/settings, applied by the shared
# deploy/guest/slice-firstboot like on every backend (guest/slice-firstboot.init runs it), after growing the root
# file system to the guest's disk (resize2fs, online).
#
# Output: $SLICE_DATA/emulator/debian-13/<recipe>/{disk.img,Image,initrd.img,packages.txt} and
# debian-13/current naming the recipe. The recipe hashes this directory's files, the host tools' versions and
# the suite's package index (so any new package version in trixie rebuilds it). Each recipe has its own
# directory: a guest's copy-on-write layer reads through to its base image, which must never change under it.
# Idempotent: a current template costs one index check. Every step has a deadline.
#   SLICE_EMULATOR_DEBIAN_DISK_MIB   size of disk.img (sparse), default 2048
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../lib/common.sh"
OUT="$SLICE_DATA/emulator/debian-13"
SUITE=trixie
DISK_MIB=${SLICE_EMULATOR_DEBIAN_DISK_MIB:-2048}
mkdir -p "$OUT"
apt_install debootstrap qemu-user-static binfmt-support e2fsprogs coreutils

# --- the suite's package index, in an apt state of its own: its identity is part of the recipe ---
MIRROR=$(debian_mirror)
A="$OUT/apt"
mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/prefs"
[ -f "$A/status" ] || : > "$A/status"
echo "deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main" > "$A/sources.list"
APT=(apt-get -q -o Dir::Etc::SourceList="$A/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o Dir::Etc::PreferencesParts="$A/prefs" -o Dir::State::Lists="$A/lists" -o Dir::Cache="$A/cache"
     -o Dir::State::status="$A/status" -o APT::Architecture=riscv64 -o APT::Architectures::=riscv64
     -o APT::Sandbox::User=root -o Acquire::http::Timeout=60)
current=$(cat "$OUT/current" 2>/dev/null || true)
if ! timeout 300 "${APT[@]}" update >"$A/update.log" 2>&1; then
  if [ -n "$current" ] && [ -f "$OUT/$current/done" ]; then
    log "emulator: could not read $SUITE's index from $MIRROR; keeping debian-13 template $current"
    exit 0
  fi
  tail -5 "$A/update.log" >&2
  die "could not read $SUITE's riscv64 package index from $MIRROR"
fi
index=$(grep -hE " main/binary-riscv64/Packages(\.xz)?$" "$A"/lists/*_dists_${SUITE}_InRelease | sort -u)
[ -n "$index" ] || die "no riscv64 package index for $SUITE in $A/lists"
# Slice's guest agent (deploy/guest-agent), started on ttyS1: the emulator's second UART, for benchmark runs.
bash "$HERE/../../guest-agent/build.sh"
agent="$SLICE_DATA/guest-agent/riscv64/slice-guest-agent"
recipe=$( { cat "$HERE/build.sh" "$HERE/packages" "$HERE"/guest/* "$HERE/../../guest/slice-firstboot" "$agent.recipe"; echo "$DISK_MIB $MIRROR"; echo "$index"
            dpkg-query -W -f='${Package} ${Version}\n' debootstrap qemu-user-static e2fsprogs; } | sha256sum | cut -c1-16)
dir="$OUT/$recipe"
if [ -f "$dir/done" ]; then
  [ "$current" = "$recipe" ] || { echo "$recipe" > "$OUT/.current.$$" && mv "$OUT/.current.$$" "$OUT/current"; }
  log "emulator: debian-13 template current ($recipe)"
  exit 0
fi

# --- build ---
need_root
started=$(date +%s)
work=$(mktemp -d "$OUT/.build.XXXXXX")
R="$work/rootfs"
cleanup() {
  for m in proc sys dev/pts dev; do mountpoint -q "$R/$m" 2>/dev/null && umount -l "$R/$m"; done
  rm -rf "$work"
}
trap cleanup EXIT
in_root() { local limit=$1; shift; timeout "$limit" chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }

# binfmt_misc runs the riscv64 programs of the second stage under qemu-riscv64-static; the F flag makes the
# kernel open the interpreter once at registration, so it works inside the chroot.
mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
update-binfmts --enable qemu-riscv64 >/dev/null 2>&1 || true
grep -qs '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-riscv64 \
  || die "binfmt_misc has no qemu-riscv64 entry with the F flag (qemu-user-static, binfmt-support)"

include=$(grep -v '^#' "$HERE/packages" | xargs | tr ' ' ',')
log "emulator: debootstrap $SUITE riscv64, first stage (mirror $MIRROR)"
timeout 900 debootstrap --foreign --arch=riscv64 --variant=minbase --include="$include" \
  "$SUITE" "$R" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -30 "$work/debootstrap.log" >&2; die "debootstrap (first stage) failed or timed out"; }
# Before the second stage installs the kernel, so its initramfs is made once, small: only the modules
# the root disk needs (MODULES=list), lz4 (the cheapest for the guest to unpack).
install -D -m 0644 "$HERE/guest/initramfs-modules" "$R/usr/share/initramfs-tools/modules.d/slice-emulator"
install -D -m 0644 /dev/stdin "$R/etc/initramfs-tools/conf.d/slice-emulator" <<'EOF'
MODULES=list
COMPRESS=lz4
EOF
log "emulator: debootstrap second stage under qemu-riscv64-static (several minutes)"
timeout 2400 chroot "$R" /debootstrap/debootstrap --second-stage >"$work/second-stage.log" 2>&1 \
  || { tail -30 "$work/second-stage.log" >&2; tail -30 "$R/debootstrap/debootstrap.log" >&2 2>/dev/null
       die "debootstrap (second stage) failed or timed out"; }

log "emulator: configuring the guest"
install -m 0644 "$HERE/guest/fstab" "$R/etc/fstab"
echo debian > "$R/etc/hostname"
install -m 0755 "$HERE/../../guest/slice-firstboot" "$R/usr/local/sbin/slice-firstboot"
install -m 0755 "$HERE/guest/slice-firstboot.init" "$R/etc/init.d/slice-firstboot"
in_root 120 update-rc.d slice-firstboot defaults >/dev/null
printf 'auto lo\niface lo inet loopback\n\nsource /etc/network/interfaces.d/*\n' > "$R/etc/network/interfaces"
# The NIC keeps the kernel's name eth0, as in the settings (no predictable names from udev).
mkdir -p "$R/etc/systemd/network" && ln -sf /dev/null "$R/etc/systemd/network/99-default.link"
# No udev in the booted system: the board's devices are fixed, devtmpfs has their nodes, and its coldplug took
# a minute of guest time (the initramfs still runs Debian's udev to find the root disk); the NIC's module is
# loaded from /etc/modules. No hardware clock on the board either.
for script in udev hwclock.sh; do
  in_root 60 update-rc.d "$script" disable >/dev/null 2>&1 || true   # it also asks systemctl, which has no such unit
  ! ls "$R"/etc/rcS.d/S[0-9][0-9]"$script" >/dev/null 2>&1 || die "could not disable $script in the guest's boot"
done
echo virtio_net >> "$R/etc/modules"
# A root login on the serial console (console=ttyS0); no VT gettys (the board has no display).
sed -i -E 's/^([1-6]:[0-9]+:respawn:)/#\1/' "$R/etc/inittab"
echo 'T0:2345:respawn:/sbin/agetty -8 --noclear --keep-baud ttyS0 115200,38400,9600 vt102' >> "$R/etc/inittab"
# The guest agent on the second UART (GuestExec of benchmark runs; never a login).
install -m 0755 "$agent" "$R/usr/local/sbin/slice-guest-agent"
echo 'SA:2345:respawn:/usr/local/sbin/slice-guest-agent /dev/ttyS1' >> "$R/etc/inittab"
# The template's root has no password: only the guest's settings give it one (or SSH keys).
in_root 60 passwd -l root >/dev/null
in_root 60 dpkg-query -W -f='${Package} ${Version}\n' > "$work/packages.txt"
# Small and free of build-host state; each guest makes its own SSH host keys and machine id.
in_root 120 apt-get clean
rm -rf "$R"/var/lib/apt/lists/* "$R"/var/log/*.log "$R"/var/cache/debconf/*-old "$R"/debootstrap
rm -f "$R"/etc/ssh/ssh_host_*
: > "$R/etc/machine-id"
kernel=$(ls "$R"/boot/vmlinu[xz]-* | sort -V | tail -1); version=${kernel#"$R"/boot/vmlinu?-}
[ -f "$R/boot/initrd.img-$version" ] || die "initramfs-tools made no initrd for $version"
mkdir -p "$work/out"
cp "$kernel" "$work/out/Image"
cp "$R/boot/initrd.img-$version" "$work/out/initrd.img"
mv "$work/packages.txt" "$work/out/packages.txt"
echo "$version" > "$work/out/kernel-version"
# A sparse ext4 image; its inode tables are initialised now, not by the guest while it boots.
timeout 600 mkfs.ext4 -q -F -L slice-root -d "$R" -E lazy_itable_init=0,lazy_journal_init=0 \
  "$work/out/disk.img" "${DISK_MIB}M" || die "mkfs.ext4 of the template image failed"
rm -rf "$dir"
mv "$work/out" "$dir"
touch "$dir/done"
echo "$recipe" > "$OUT/.current.$$" && mv "$OUT/.current.$$" "$OUT/current"
# Earlier recipes stay while a guest's disk may still read through to them: the newest one before this is kept.
for old in $(ls -t "$OUT" | grep -E '^[0-9a-f]{16}$' | grep -v "^$recipe$" | tail -n +2); do
  rm -rf "${OUT:?}/$old"; log "emulator: removed old debian-13 template $old"
done
log "emulator: debian-13 template built ($recipe, kernel $version) in $(( $(date +%s) - started )) s:" \
    "$(du -sh --apparent-size "$dir/disk.img" | cut -f1) image, $(du -sh "$dir/disk.img" | cut -f1) used"
