#!/usr/bin/env bash
# Builds the OCI driver's host artifacts into $SLICE_DATA/bin, cached by a recipe hash:
#   slice-oci-console   the console keeper: one detached process per running container that runs the
#                       runtime's create, holds the container's pty master and serves attach clients
#   slice-oci-init      PID 1 of every container (static, bound read-only at /sbin/slice-init)
#   slice-firstboot     deploy/guest/slice-firstboot, which the init runs (bound read-only at /run/slice/slice-firstboot)
# The container root filesystems come straight from $SLICE_DATA/templates/<name>/rootfs
# (deploy/images/debian-12/build.sh) as the read-only lower layer of each container's overlay.
# Idempotent; safe to run again. Usage: deploy/oci/build.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"

out="$SLICE_DATA/bin"
command -v gcc >/dev/null || die "gcc is missing; run deploy/oci/setup.sh first"
mkdir -p "$out"

# build NAME SOURCE GCC-FLAGS...
build() {
  local name=$1 source=$2; shift 2
  local target="$out/$name"
  local recipe
  recipe=$({ cat "$here/build.sh" "$here/$source"; gcc --version | head -1; } | sha256sum | cut -c1-16)
  if [ -x "$target" ] && [ -f "$target.recipe" ] && [ "$(cat "$target.recipe")" = "$recipe" ]; then
    log "oci: $name is current ($recipe)"
    return
  fi
  local tmp
  tmp=$(mktemp "$out/.$name.XXXXXX")
  gcc -std=c11 -O2 -Wall -Wextra -Werror "$@" -o "$tmp" "$here/$source" || { rm -f "$tmp"; die "could not build $name"; }
  chmod 0755 "$tmp"
  mv "$tmp" "$target"
  echo "$recipe" > "$target.recipe"
  log "oci: $name built ($recipe)"
}

build slice-oci-console console-keeper.c
build slice-oci-init container-init.c -static

# The one guest-side first-boot script of every template, bound read-only into each container.
script="$here/../guest/slice-firstboot"
if ! cmp -s "$script" "$out/slice-firstboot"; then
  install -m 0755 "$script" "$out/.slice-firstboot.$$" && mv "$out/.slice-firstboot.$$" "$out/slice-firstboot"
  log "oci: slice-firstboot installed"
fi
