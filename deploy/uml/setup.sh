#!/usr/bin/env bash
# Host set-up for User-Mode Linux guests. Idempotent; fast when done.
#   user-mode-linux  /usr/bin/linux.uml and its modules (/usr/lib/uml/modules)
#   uml-utilities    uml_mconsole: the driver's management console client
#   dtach            holds each guest's console (a pty) and lets any number of clients attach over a
#                    Unix socket, so the console survives Slice restarts
#   cgroup-tools     cgexec: starts the guest inside its CPU cgroup (v1 or v2) from its first instruction
#   e2fsprogs        mkfs.ext4 -d for the template image and each guest's settings disk
#   gcc, libc6-dev   build the small XSTATE shim below
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"

apt_install user-mode-linux uml-utilities dtach cgroup-tools e2fsprogs iproute2 gcc libc6-dev

[ -c /dev/net/tun ] || { need_root; mkdir -p /dev/net; mknod /dev/net/tun c 10 200; chmod 0666 /dev/net/tun; }

# Debian 12's linux.uml (6.1) cannot write FPU state back on hosts with AVX-512/AMX; see the shim's
# comment. The driver preloads it when it exists (setting uml.preload).
shim=/usr/local/lib/slice/uml-xstate-shim.so
src="$here/host/uml-xstate-shim.c"
if [ ! -f "$shim" ] || [ "$src" -nt "$shim" ]; then
  need_root
  mkdir -p "$(dirname "$shim")"
  gcc -O2 -Wall -shared -fPIC -o "$shim.tmp" "$src" -ldl
  mv "$shim.tmp" "$shim"
  log "uml: built $shim"
fi
mkdir -p "$SLICE_DATA/uml"
log "uml: host ready ($(/usr/bin/linux.uml --version 2>/dev/null | head -1))"
