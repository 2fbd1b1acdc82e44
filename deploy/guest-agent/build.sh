#!/usr/bin/env bash
# Builds Slice's guest agent (deploy/guest-agent/slice-guest-agent.c) for every guest architecture, static,
# into $SLICE_DATA/guest-agent/<arch>/slice-guest-agent, cached by a recipe hash:
#   x86_64   with gcc                    (the UML benchmark template)
#   riscv64  with riscv64-linux-gnu-gcc  (the emulator's busybox initramfs and its Debian template)
# Only benchmark templates carry it (deploy/uml/build.sh debian-12-bench, the emulator's guests); customers'
# templates stay without. Idempotent. Usage: deploy/guest-agent/build.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"

# socat: GuestAgentTest joins the agent's test pty to two named pipes, the way UML's agent line is reached.
apt_install gcc libc6-dev gcc-riscv64-linux-gnu libc6-dev-riscv64-cross socat

# build ARCH COMPILER
build() {
  local arch=$1 cc=$2
  local out="$SLICE_DATA/guest-agent/$arch" target recipe tmp
  target="$out/slice-guest-agent"
  mkdir -p "$out"
  recipe=$({ cat "$here/build.sh" "$here/slice-guest-agent.c"; "$cc" --version | head -1; } | sha256sum | cut -c1-16)
  if [ -x "$target" ] && [ -f "$target.recipe" ] && [ "$(cat "$target.recipe")" = "$recipe" ]; then
    log "guest-agent: $arch agent is current ($recipe)"
    return
  fi
  tmp=$(mktemp "$out/.slice-guest-agent.XXXXXX")
  "$cc" -std=c11 -O2 -Wall -Wextra -Werror -static -s -o "$tmp" "$here/slice-guest-agent.c" \
    || { rm -f "$tmp"; die "could not build the $arch guest agent"; }
  chmod 0755 "$tmp"
  mv "$tmp" "$target"
  echo "$recipe" > "$target.recipe"
  log "guest-agent: $arch agent built ($recipe)"
}

build x86_64 gcc
build riscv64 riscv64-linux-gnu-gcc
