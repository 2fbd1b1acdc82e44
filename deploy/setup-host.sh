#!/usr/bin/env bash
# Prepares this host for Slice: Debian packages, daemons, guest templates. Idempotent: a second run
# only checks. Usage: deploy/setup-host.sh [--for-tests]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib/common.sh"

for_tests=0
[ "${1:-}" = "--for-tests" ] && for_tests=1

need_root
apt_install ca-certificates iproute2 nftables e2fsprogs util-linux debootstrap
if [ "$for_tests" = 1 ]; then
  # The browser test drives the panel in a real headless Chromium.
  apt_install chromium chromium-driver
fi

# Each backend installs and starts what it needs; a backend whose set-up fails is reported, and
# Slice runs without it (the operator view says why). For tests every backend must be there.
backends=(oci libvirt uml emulator)
"$here/images/debian-12/build.sh"
# Slice's guest agent (UML's and the emulator's benchmark guests), before the backends' templates take it in.
bash "$here/guest-agent/build.sh"
# The operators' benchmark template (report runs only; customers' templates stay lean), derived from debian-12.
"$here/images/debian-12-bench/build.sh"
failed=()
for b in "${backends[@]}"; do
  for step in setup build; do
    script="$here/$b/$step.sh"
    [ -x "$script" ] || [ -f "$script" ] || continue
    log "$b: $step"
    if ! bash "$script"; then
      failed+=("$b/$step")
      [ "$for_tests" = 1 ] && die "$b/$step.sh failed; the tests need every backend"
    fi
  done
done
# The benchmark template's libvirt form (QEMU guests with qemu-guest-agent for the reports' GuestExec).
if ! bash "$here/libvirt/build.sh" debian-12-bench; then
  failed+=("libvirt/build debian-12-bench")
  [ "$for_tests" = 1 ] && die "libvirt/build.sh debian-12-bench failed; the report tests need the benchmark template"
fi
# The benchmark runs' yardstick, per guest architecture (operators' reports; never in customers' templates).
if ! bash "$here/reports/build.sh"; then
  failed+=("reports/build")
  [ "$for_tests" = 1 ] && die "reports/build.sh failed; the report tests need the yardstick"
fi
bash "$here/../panel-ui/fetch-assets.sh"   # xterm.js from npm, before an offline build
if [ ${#failed[@]} -gt 0 ]; then
  log "set-up finished without: ${failed[*]} (Slice runs without those backends)"
else
  log "host set-up complete"
fi
