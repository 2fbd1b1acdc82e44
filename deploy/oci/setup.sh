#!/usr/bin/env bash
# Installs what Slice's OCI container driver needs on a host: an OCI runtime (runc; crun too, which
# the driver prefers on hosts with a unified cgroup v2 hierarchy), ext4 tools and loop mounts for the
# per-container disks, iproute2 for bridges, veths and network namespaces, and a C compiler for the
# console keeper that deploy/oci/build.sh builds, and lxcfs, which shows each container its own memory,
# CPUs and uptime in /proc. Idempotent; a no-op when everything is present.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"

apt_install runc crun e2fsprogs iproute2 util-linux mount gcc libc6-dev iputils-ping lxcfs
modprobe overlay 2>/dev/null || true
modprobe loop 2>/dev/null || true
grep -qw overlay /proc/filesystems || die "the kernel has no overlay filesystem; containers need it"
[ -e /dev/loop-control ] || die "no loop device support (/dev/loop-control); containers need it for their disks"

# lxcfs: --enable-cfs makes /proc/cpuinfo count the CPU quota the plan sets, not only the cpuset.
# A mount whose daemon is gone (the machine's processes ended, its mounts stayed) answers nothing: every
# read fails with "Transport endpoint is not connected" and the driver falls back to the host's /proc.
# Serving means the daemon runs and its meminfo reads; a stale mount is detached and lxcfs started again.
lxcfs_mounted() { grep -q ' /var/lib/lxcfs .* - fuse.lxcfs ' /proc/self/mountinfo; }
lxcfs_serving() { lxcfs_mounted && pgrep -x lxcfs >/dev/null && head -c 1 /var/lib/lxcfs/proc/meminfo >/dev/null 2>&1; }
if ! lxcfs_serving; then
  if lxcfs_mounted; then
    log "oci: lxcfs is mounted at /var/lib/lxcfs but does not answer; detaching the stale mount"
    pkill -x lxcfs 2>/dev/null || true
    umount -l /var/lib/lxcfs 2>/dev/null || fusermount -u -z /var/lib/lxcfs
  fi
  if [ -d /run/systemd/system ]; then
    mkdir -p /etc/systemd/system/lxcfs.service.d
    printf '[Service]\nExecStart=\nExecStart=/usr/bin/lxcfs --enable-cfs /var/lib/lxcfs\n' > /etc/systemd/system/lxcfs.service.d/slice.conf
    systemctl daemon-reload
    systemctl enable lxcfs
    systemctl restart lxcfs
  else
    # No systemd (a container or CI sandbox): run it as a daemon of its own.
    mkdir -p /var/lib/lxcfs
    start_daemon start-stop-daemon --start --oknodo --background --exec /usr/bin/lxcfs -- --enable-cfs /var/lib/lxcfs
  fi
  for _ in $(seq 50); do lxcfs_serving && break; sleep 0.2; done
  lxcfs_serving || die "lxcfs did not start serving /var/lib/lxcfs"
fi
log "oci: runtime $(runc --version | head -1); lxcfs at /var/lib/lxcfs"
