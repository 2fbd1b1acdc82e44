#!/usr/bin/env bash
# Installs what Slice's OCI container driver needs on a host: an OCI runtime (runc; crun too, which
# the driver prefers on hosts with a unified cgroup v2 hierarchy), ext4 tools and loop mounts for the
# per-container disks, iproute2 for bridges, veths and network namespaces, and a C compiler for the
# console keeper that deploy/oci/build.sh builds. Idempotent; a no-op when everything is present.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"

apt_install runc crun e2fsprogs iproute2 util-linux mount gcc libc6-dev iputils-ping
modprobe overlay 2>/dev/null || true
modprobe loop 2>/dev/null || true
grep -qw overlay /proc/filesystems || die "the kernel has no overlay filesystem; containers need it"
[ -e /dev/loop-control ] || die "no loop device support (/dev/loop-control); containers need it for their disks"
log "oci: runtime $(runc --version | head -1)"
