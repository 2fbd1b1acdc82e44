#!/usr/bin/env bash
# Host set-up for User-Mode Linux guests. Idempotent; fast when done.
#   uml-utilities    uml_mconsole: the driver's management console client
#   dtach            holds each guest's console (a pty) and lets any number of clients attach over a
#                    Unix socket, so the console survives Slice restarts
#   cgroup-tools     cgexec: starts the guest inside its CPU cgroup (v1 or v2) from its first instruction
#   bubblewrap       the guest's jail: its kernel sees only its own files (UML's hostfs would otherwise
#                    show the guest the host's filesystem)
#   util-linux       setpriv: the guest runs as its own unprivileged user, without capabilities
#   iptables         the guests' users may send no IP packets of their own (the driver adds the rule)
#   e2fsprogs        mkfs.ext4 -d for the template image and each guest's settings disk
#   patchelf         points the UML kernel at its own C library (below)
#
# The UML kernel is Debian's user-mode-linux from the testing suite (7.x), not bookworm's 6.1: since
# 6.17 UML can run guest processes under seccomp instead of ptrace, the kernel starts in a quarter of
# the time, and 6.1 crashes on hosts with AVX-512/AMX. It is unpacked under /usr/local/lib/slice/uml/
# with stable's C library (and libgcc_s) beside it (it needs glibc >= 2.38; the host's stays as it is), found through
# its ELF interpreter and run path. Nothing else on the host changes.
#   SLICE_UML_SUITE   the suite to take user-mode-linux from (default forky)
#   SLICE_UML_UPDATE  set to 1 to fetch the suite's current kernel even when one is installed
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"

apt_install uml-utilities dtach cgroup-tools bubblewrap util-linux iptables e2fsprogs iproute2 patchelf

# Debian's udev makes /dev/net/tun 0666; a TAP still admits only the user it was created for.
[ -c /dev/net/tun ] || { need_root; mkdir -p /dev/net; mknod /dev/net/tun c 10 200; }
[ "$(stat -c %a /dev/net/tun)" = 666 ] || { need_root; chmod 0666 /dev/net/tun; }

root=/usr/local/lib/slice/uml
kernel="$root/linux.uml"
if [ ! -x "$kernel" ] || [ "${SLICE_UML_UPDATE:-0}" = 1 ] || ! "$kernel" --version >/dev/null 2>&1; then
  need_root
  suite=${SLICE_UML_SUITE:-forky}
  mirror=$(debian_mirror)
  apt_dir="$SLICE_DATA/cache/uml-apt"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/parts"
  # A private apt configuration: it only downloads (signature-checked) and never installs into the host.
  {
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main"
  } > "$apt_dir/sources.list"
  apt_opts=(-q -o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts="$apt_dir/parts"
            -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache::Archives="$apt_dir/archives"
            -o APT::Sandbox::User=root -o Acquire::Languages=none)
  log "uml: fetching user-mode-linux from $suite and its C library from trixie ($mirror)"
  apt-get "${apt_opts[@]}" update >/dev/null
  version=$(apt-cache "${apt_opts[@]}" show "user-mode-linux/$suite" | awk '/^Version:/ { print $2; exit }')
  [ -n "$version" ] || die "user-mode-linux is not in $suite on $mirror"
  work=$(mktemp -d "$apt_dir/.work.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get "${apt_opts[@]}" download "user-mode-linux/$suite" libc6/trixie libgcc-s1/trixie >/dev/null)
  dpkg-deb -x "$work"/user-mode-linux_*.deb "$work/uml"
  dpkg-deb -x "$work"/libc6_*.deb "$work/libc"
  dpkg-deb -x "$work"/libgcc-s1_*.deb "$work/libc"
  target="$root/$version"
  rm -rf "$target.new"
  mkdir -p "$target.new/lib"
  # libgcc_s: glibc loads it when UML cancels its helper threads (reboot, power-off); the jail has no other.
  for lib in ld-linux-x86-64.so.2 libc.so.6 libgcc_s.so.1; do
    cp -aL "$work/libc/usr/lib/x86_64-linux-gnu/$lib" "$target.new/lib/$lib"
  done
  cp -a "$work/uml/usr/lib/uml/modules" "$target.new/modules"
  install -m 0755 "$work/uml/usr/bin/linux.uml" "$target.new/linux.uml"
  # DT_RPATH, not RUNPATH: it also serves the C library's own dlopen of libgcc_s.
  patchelf --set-interpreter "$target/lib/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$target/lib" "$target.new/linux.uml"
  echo "$version" > "$target.new/VERSION"
  rm -rf "$target"
  mv "$target.new" "$target"
  ln -sfn "$version" "$root/current.new" && mv -T "$root/current.new" "$root/current"
  ln -sfn current/linux.uml "$kernel"
  "$kernel" --version >/dev/null 2>&1 || die "the unpacked UML kernel $target/linux.uml does not run"
  # Earlier kernels stay: a running guest re-executes its own kernel file when it reboots.
  log "uml: installed user-mode-linux $version in $target"
fi
# Earlier set-ups built an LD_PRELOAD shim for Debian 12's 6.1 kernel; that kernel is no longer used.
rm -f /usr/local/lib/slice/uml-xstate-shim.so
mkdir -p "$SLICE_DATA/uml"
log "uml: host ready ($("$kernel" --version 2>/dev/null | tail -1), $(cat "$root/current/VERSION"))"
