#!/usr/bin/env bash
# Builds everything Slice's RISC-V emulator runs and is tested with, from Debian packages only:
#   kernel/Image        riscv64 Linux 6.1 (linux-source-6.1, tinyconfig + kernel.config)
#   initramfs.cpio      trixie's riscv64 busybox-static + init + Slice's guest agent (deploy/guest-agent)
#   disk.img            a small ext2 image for the virtio-blk test
#   tests/*.elf         the instruction-level test programs (tests/*.S)
#   bench/*.elf         the CPU-bound benchmark program
#   debian-13/          the Debian 13 riscv64 OS template: disk.img, Image, initrd.img (debian/build.sh)
#   aot/emulator.aot    the JVM's ahead-of-time cache for deploy/emulator/slice-emulator, trained on a Linux boot
#                       and a hot loop (train-aot.sh)
#                       (only when the emulator jar is built: run this again after mvn package; bench.sh does)
# Output goes to ${SLICE_DATA:-/var/lib/slice}/emulator/; each part is rebuilt only when its recipe changes.
# Idempotent; safe to run again. Usage: deploy/emulator/build.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/common.sh"
OUT="$SLICE_DATA/emulator"
mkdir -p "$OUT"
JOBS=${SLICE_JOBS:-2}

apt_install gcc-riscv64-linux-gnu libc6-dev-riscv64-cross gcc-riscv64-unknown-elf linux-source-6.1 \
  device-tree-compiler qemu-system-misc qemu-system-data flex bison bc libssl-dev libelf-dev cpio make gcc libc6-dev \
  xz-utils e2fsprogs time

# stamp NAME INPUT-FILES... : prints the recipe hash of a part
recipe() { { cat "$@"; dpkg-query -W -f='${Version}\n' linux-source-6.1 gcc-riscv64-unknown-elf gcc-riscv64-linux-gnu; } | sha256sum | cut -c1-16; }
fresh() { [ -f "$OUT/$1.stamp" ] && [ "$(cat "$OUT/$1.stamp")" = "$2" ]; }

# --- kernel ---
# Each recipe is built once into kernels/<recipe>/ and kept there (worktrees with other kernel.config files share
# this directory: switching back costs a copy, not a build); kernel/ holds the current recipe's files, each
# replaced whole (copy aside, then rename), so a guest starting meanwhile reads an old or a new file, never half.
KERNEL_RECIPE="tinyconfig+fragment, Image, gen_init_cpio v1"
KSTAMP=$(echo "$KERNEL_RECIPE" | recipe "$HERE/kernel.config" -)
KBUILT="$OUT/kernels/$KSTAMP"
if [ ! -f "$KBUILT/Image" ]; then
  log "building the riscv64 kernel (a few minutes on 2 cores)"
  KB="$OUT/build/linux-$KSTAMP"
  rm -rf "$KB" "$KBUILT.tmp" && mkdir -p "$KB" "$KBUILT.tmp"
  tar -xf /usr/src/linux-source-6.1.tar.xz -C "$KB" --strip-components=1
  K=(make -s -C "$KB" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- -j"$JOBS")
  "${K[@]}" tinyconfig >/dev/null
  (cd "$KB" && ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- \
     scripts/kconfig/merge_config.sh -m .config "$HERE/kernel.config" >/dev/null)
  "${K[@]}" olddefconfig >/dev/null
  for opt in $(grep -oE '^CONFIG_[A-Z0-9_]+=y' "$HERE/kernel.config" | cut -d= -f1); do
    grep -q "^$opt=y" "$KB/.config" || log "warning: $opt did not survive olddefconfig"
  done
  "${K[@]}" Image >/dev/null
  cc -O2 -o "$KB/usr/gen_init_cpio" "$KB/usr/gen_init_cpio.c"
  cp "$KB/arch/riscv/boot/Image" "$KB/usr/gen_init_cpio" "$KBUILT.tmp/"
  cp "$KB/.config" "$KBUILT.tmp/config"
  mv -T "$KBUILT.tmp" "$KBUILT"
  rm -rf "$KB"
fi
if ! fresh kernel "$KSTAMP" || ! cmp -s "$KBUILT/Image" "$OUT/kernel/Image"; then
  mkdir -p "$OUT/kernel"
  for f in Image gen_init_cpio config; do
    cp -p "$KBUILT/$f" "$OUT/kernel/.$f.tmp" && mv -f "$OUT/kernel/.$f.tmp" "$OUT/kernel/$f"
  done
  echo "$KSTAMP" > "$OUT/kernel.stamp"
fi

# --- userland: trixie's riscv64 busybox-static, fetched with a private apt state from the host's mirror ---
USERLAND_RECIPE="busybox-static from trixie, gen_init_cpio list v3"
# The guest agent on ttyS1 (the emulator's second UART), through which benchmark runs execute their workloads.
bash "$HERE/../guest-agent/build.sh"
AGENT="$SLICE_DATA/guest-agent/riscv64/slice-guest-agent"
USTAMP=$(echo "$USERLAND_RECIPE" | recipe "$HERE/init" "$AGENT.recipe" -)
if ! fresh initramfs "$USTAMP" || [ ! -f "$OUT/initramfs.cpio" ]; then
  MIRROR=$(debian_mirror)
  A="$OUT/build/apt"; rm -rf "$A"; mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/debs" "$A/prefs"
  : > "$A/status"
  APT=(apt-get -q -o Dir::Etc::SourceList="$A/sources.list" -o Dir::Etc::SourceParts=/dev/null
       -o Dir::Etc::PreferencesParts="$A/prefs" -o Dir::State::Lists="$A/lists" -o Dir::Cache="$A/cache"
       -o Dir::State::status="$A/status" -o APT::Architecture=riscv64 -o APT::Architectures::=riscv64
       -o APT::Sandbox::User=root)
  # trixie by its code name, else by its alias (a mirror may briefly hold indexes that do not match one of them)
  for suite in trixie stable; do
    echo "deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $suite main" > "$A/sources.list"
    rm -rf "$A/lists" && mkdir -p "$A/lists/partial"
    log "fetching busybox-static (riscv64, $suite) from $MIRROR"
    if "${APT[@]}" update >/dev/null 2>&1 && (cd "$A/debs" && "${APT[@]}" download busybox-static >/dev/null 2>&1); then break; fi
  done
  ls "$A"/debs/busybox-static_*.deb >/dev/null 2>&1 || die "could not download riscv64 busybox-static from $MIRROR"
  R="$OUT/build/rootfs"; rm -rf "$R"; mkdir -p "$R"
  dpkg-deb -x "$A"/debs/busybox-static_*.deb "$R"
  BB=""
  for c in "$R/usr/bin/busybox" "$R/bin/busybox"; do [ -f "$c" ] && BB="$c" && break; done
  [ -n "$BB" ] && head -c 20 "$BB" | od -An -tx1 | grep -q '7f 45 4c 46' || die "no busybox ELF binary in the busybox-static package"
  L="$OUT/build/initramfs.list"
  {
    echo "dir /dev 755 0 0"; echo "nod /dev/console 600 0 0 c 5 1"; echo "nod /dev/null 666 0 0 c 1 3"
    for d in /bin /sbin /proc /sys /mnt /tmp /root /etc; do echo "dir $d 755 0 0"; done
    echo "file /bin/busybox $BB 755 0 0"
    echo "slink /bin/sh busybox 777 0 0"
    echo "file /init $HERE/init 755 0 0"
    echo "file /sbin/slice-guest-agent $AGENT 755 0 0"
  } > "$L"
  "$OUT/kernel/gen_init_cpio" "$L" > "$OUT/initramfs.cpio.tmp" && mv "$OUT/initramfs.cpio.tmp" "$OUT/initramfs.cpio"
  echo "$USTAMP" > "$OUT/initramfs.stamp"
fi

# --- a small ext2 disk image for the virtio-blk test (tests copy it before writing) ---
DISK_RECIPE="ext2 8M hello.txt v1"
DSTAMP=$(echo "$DISK_RECIPE" | recipe -)
if ! fresh disk "$DSTAMP" || [ ! -f "$OUT/disk.img" ]; then
  D="$OUT/build/disk"; rm -rf "$D"; mkdir -p "$D"
  echo "hello from the slice disk" > "$D/hello.txt"
  rm -f "$OUT/disk.img"
  mke2fs -q -t ext2 -b 1024 -d "$D" "$OUT/disk.img" 8M
  echo "$DSTAMP" > "$OUT/disk.stamp"
fi

# --- instruction-level tests and the benchmark program (bare metal, rv64gc) ---
TESTS_RECIPE="rv64gc lp64d medany, link.ld v1"
TSTAMP=$(echo "$TESTS_RECIPE" | recipe "$HERE"/tests/*.* "$HERE"/tests/lib/* "$HERE"/bench/*.c -)
if ! fresh tests "$TSTAMP" || [ ! -d "$OUT/tests" ]; then
  rm -rf "$OUT/tests.tmp"; mkdir -p "$OUT/tests.tmp"
  for s in "$HERE"/tests/*.c "$HERE"/tests/*.S; do
    [ -e "$s" ] || continue
    n=$(basename "$s"); n=${n%.*}
    riscv64-unknown-elf-gcc -march=rv64gc -mabi=lp64d -mcmodel=medany -O1 -nostdlib -nostartfiles -static \
      -ffreestanding -fno-builtin -I"$HERE/tests" -T "$HERE/tests/link.ld" -o "$OUT/tests.tmp/$n.elf" \
      "$HERE/tests/lib/crt.S" "$s"
  done
  for s in "$HERE"/bench/*.c; do
    n=$(basename "$s" .c)
    riscv64-unknown-elf-gcc -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -nostdlib -nostartfiles -static \
      -ffreestanding -fno-builtin -I"$HERE/tests" -T "$HERE/tests/link.ld" -o "$OUT/tests.tmp/bench-$n.elf" \
      "$HERE/tests/lib/crt.S" "$s"
  done
  rm -rf "$OUT/tests" && mv "$OUT/tests.tmp" "$OUT/tests"
  echo "$TSTAMP" > "$OUT/tests.stamp"
fi
# --- the Debian 13 riscv64 OS template (its own recipe and cache: debian/build.sh) ---
"$HERE/debian/build.sh"

# --- the JVM's ahead-of-time cache (JEP 483/514): classes loaded and linked, from a boot and a hot loop ---
# The launcher uses the cache only with the jar it was trained with (path, size, time): retrained when the jar changes.
JAR=${SLICE_EMULATOR_JAR:-}
for j in "$HERE"/../../drivers/emulator/target/driver-emulator-*.jar; do [ -z "$JAR" ] && [ -f "$j" ] && JAR=$(cd "$(dirname "$j")" && pwd)/$(basename "$j"); done
if [ -z "$JAR" ]; then
  log "no emulator jar yet: the AOT cache is built when this runs after mvn package (the emulator runs without it)"
else
  # v2: trained with a hot loop after the boot, used without its profiles (train-aot.sh says why)
  ASTAMP=$( { echo "aot v2 $JAR $(stat -c '%s %Y' "$JAR")"; cat "$HERE/slice-emulator" "$HERE/train-aot.sh" "$JAR"; } | sha256sum | cut -c1-16)
  if ! fresh aot "$ASTAMP" || [ ! -f "$OUT/aot/emulator.aot" ]; then
    log "training the emulator's AOT cache on a Linux boot and a hot loop"
    rm -f "$OUT/aot.stamp"
    "$HERE/train-aot.sh" "$JAR" "$OUT" || die "training the emulator's AOT cache failed"
    echo "$ASTAMP" > "$OUT/aot.stamp"
  fi
fi
log "emulator guest software ready in $OUT"
