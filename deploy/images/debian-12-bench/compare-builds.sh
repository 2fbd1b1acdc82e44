#!/usr/bin/env bash
# Measures the two ways to build the benchmark template's rootfs, side by side in one run, and the
# cached (warm) run of build.sh:
#   copy   build.sh as it is: copy the debian-12 rootfs, apt-get install ./packages in a chroot
#   deboot a debootstrap of its own with debian-12's packages and ./packages in --include
# Prints each time, the ratio, and the host load before and after (the host is shared).
# Works in a scratch data directory: the real templates are only read.
# Usage: deploy/images/debian-12-bench/compare-builds.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../lib/common.sh"
need_root
base="$SLICE_DATA/templates/debian-12"
[ -f "$base/rootfs.recipe" ] || die "build deploy/images/debian-12 first"
scratch=$(mktemp -d "$SLICE_DATA/.bench-build.XXXXXX")
trap 'rm -rf --one-file-system "$scratch"' EXIT
mkdir -p "$scratch/data/templates"
ln -s "$base" "$scratch/data/templates/debian-12"

echo "load before: $(cat /proc/loadavg)"
t0=$(date +%s.%N)
SLICE_DATA="$scratch/data" bash "$here/build.sh"
t1=$(date +%s.%N)
SLICE_DATA="$scratch/data" bash "$here/build.sh"
t2=$(date +%s.%N)
include=$(cat "$here/../debian-12/packages" "$here/packages" | grep -v '^#' | xargs | tr ' ' ',')
debootstrap --variant=minbase --include="$include" bookworm "$scratch/deboot" "$(debian_mirror)" >"$scratch/deboot.log" 2>&1 \
  || { tail -20 "$scratch/deboot.log" >&2; die "debootstrap failed"; }
chroot "$scratch/deboot" apt-get clean
t3=$(date +%s.%N)
echo "load after: $(cat /proc/loadavg)"
copy=$(echo "$t1 - $t0" | bc) warm=$(echo "$t2 - $t1" | bc) deboot=$(echo "$t3 - $t2" | bc)
printf 'copy + apt-get (cold): %.1f s, %s\n' "$copy" "$(du -sh "$scratch/data/templates/debian-12-bench/rootfs" | cut -f1)"
printf 'build.sh again (warm): %.2f s\n' "$warm"
printf 'debootstrap with all packages (cold): %.1f s, %s\n' "$deboot" "$(du -sh "$scratch/deboot" | cut -f1)"
printf 'debootstrap / copy: %.2f\n' "$(echo "$deboot / $copy" | bc -l)"
