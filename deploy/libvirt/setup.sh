#!/usr/bin/env bash
# Installs and starts what the libvirt driver needs: libvirtd with its QEMU driver, QEMU for x86-64,
# qemu-img (copy-on-write overlays), virt-xml-validate with libvirt's schemas (the tests validate
# every generated domain), and the tools deploy/libvirt/build.sh uses to make the x86-64 template.
# Idempotent and quick when everything is there. Works without systemd: starts the daemons itself.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"

need_root
# --no-install-recommends leaves out the QEMU driver of libvirtd, so it is named explicitly.
# libxml2-utils gives xmllint, which virt-xml-validate (in libvirt-clients) runs.
apt_install libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients libvirt0 \
  qemu-system-x86 qemu-utils libxml2-utils \
  busybox-static cpio kmod e2fsprogs gzip

running() { pgrep -x "$1" >/dev/null; }

# libvirtd probes QEMU's capabilities with CAP_DAC_OVERRIDE, so the probe finds KVM whenever /dev/kvm exists;
# before each use it checks the device as the user QEMU runs as. When that user cannot open it, the two
# disagree ("KVM was enabled when probing ..., but it is not available now") and libvirtd probes QEMU again
# on every call: about 30 s for each `virsh define` on a 2-core host. udev makes /dev/kvm root:kvm 0660 and
# Debian puts libvirt-qemu in group kvm; a host without udev (this one) leaves it root-only. Do what udev
# does, so that both agree: QEMU may then open /dev/kvm, and the driver's AccelerationProbe still decides
# whether guests use KVM or TCG (it falls back to TCG where nested KVM hangs).
qemu_setting() { # the last "name = value" of qemu.conf, or Debian's default
  local value
  value=$(sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\([^\"]*\)\".*/\1/p" /etc/libvirt/qemu.conf 2>/dev/null | tail -1)
  value=${value:-libvirt-qemu}
  echo "${value#+}"
}
qemu_user=$(qemu_setting user) qemu_group=$(qemu_setting group)
qemu_can_use_kvm() {
  setpriv --reuid="$qemu_user" --regid="$qemu_group" --init-groups test -r /dev/kvm -a -w /dev/kvm 2>/dev/null
}
if [ -c /dev/kvm ] && [ "$qemu_user" != root ] && [ "$qemu_user" != 0 ] && ! qemu_can_use_kvm; then
  getent group kvm >/dev/null || groupadd --system kvm
  id -nG "$qemu_user" | tr ' ' '\n' | grep -qx kvm || usermod -a -G kvm "$qemu_user"
  log "letting group kvm use /dev/kvm (as udev does), so that libvirt's QEMU probe and its KVM check agree"
  chgrp kvm /dev/kvm
  chmod 0660 /dev/kvm
  qemu_can_use_kvm || die "$qemu_user still cannot open /dev/kvm ($(ls -l /dev/kvm)); libvirtd would probe QEMU on every call"
fi

# Without systemd nobody starts the daemons; with it, systemd already did and these are no-ops.
if ! running virtlogd; then
  log "starting virtlogd"
  start_daemon virtlogd -d
fi
if ! running libvirtd; then
  log "starting libvirtd"
  start_daemon libvirtd -d
fi
for _ in $(seq 1 50); do
  [ -S /run/libvirt/libvirt-sock ] && virsh -c qemu:///system version >/dev/null 2>&1 && break
  sleep 0.2
done
virsh -c qemu:///system version >/dev/null 2>&1 || die "libvirtd does not answer on qemu:///system"

# Disks live in a directory storage pool the driver also creates on demand; defining it here lets
# an operator inspect it with virsh before the first guest exists.
pool_dir="$SLICE_DATA/libvirt/volumes"
mkdir -p "$pool_dir"
if ! virsh -q -c qemu:///system pool-info slice >/dev/null 2>&1; then
  log "defining storage pool 'slice' at $pool_dir"
  virsh -q -c qemu:///system pool-define-as slice dir --target "$pool_dir" >/dev/null
  virsh -q -c qemu:///system pool-autostart slice >/dev/null
fi
pool_state=$(virsh -q -c qemu:///system pool-info slice | awk '/^State:/ { print $2 }')
if [ "$pool_state" != running ]; then
  virsh -q -c qemu:///system pool-start slice >/dev/null
fi
log "libvirt ready: $(virsh -c qemu:///system version 2>/dev/null | grep -i 'running hypervisor' | sed 's/.*: //')"
