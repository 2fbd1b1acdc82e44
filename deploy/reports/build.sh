#!/usr/bin/env bash
# Builds the benchmark runs' yardstick (deploy/reports/yardstick.c) for every guest architecture, static,
# into $SLICE_DATA/bench/<arch>/slice-yardstick, cached by a recipe hash:
#   x86_64   with gcc           (bare metal, containers, UML, QEMU x86-64 guests)
#   riscv64  with Debian's cross compiler riscv64-linux-gnu-gcc (the emulator's busybox guest)
# Customers' templates never contain it: a run copies it into its own guests and removes them after.
# Also installs sysbench, fio, iperf3 and linux-perf on the host: a run measures bare metal with them too.
# Idempotent. Usage: deploy/reports/build.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"

apt_install gcc libc6-dev gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
# The field's tools on the host, for bare metal's side of their ratios (guests get them from debian-12-bench).
apt_install sysbench fio iperf3 linux-perf

# build ARCH COMPILER
build() {
  local arch=$1 cc=$2
  local out="$SLICE_DATA/bench/$arch" target recipe tmp
  target="$out/slice-yardstick"
  mkdir -p "$out"
  recipe=$({ cat "$here/build.sh" "$here/yardstick.c"; "$cc" --version | head -1; } | sha256sum | cut -c1-16)
  if [ -x "$target" ] && [ -f "$target.recipe" ] && [ "$(cat "$target.recipe")" = "$recipe" ]; then
    log "reports: $arch yardstick is current ($recipe)"
    return
  fi
  tmp=$(mktemp "$out/.slice-yardstick.XXXXXX")
  "$cc" -std=c11 -O2 -Wall -Wextra -Werror -static -o "$tmp" "$here/yardstick.c" || { rm -f "$tmp"; die "could not build the $arch yardstick"; }
  chmod 0755 "$tmp"
  mv "$tmp" "$target"
  echo "$recipe" > "$target.recipe"
  log "reports: $arch yardstick built ($recipe)"
}

build x86_64 gcc
build riscv64 riscv64-linux-gnu-gcc
