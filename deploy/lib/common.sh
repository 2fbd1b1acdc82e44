# Shared helpers for deploy/ scripts. Sourced, never run.
: "${SLICE_DATA:=/var/lib/slice}"
export SLICE_DATA

log() { printf '[slice-deploy] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# Starts a daemon holding none of this shell's open files but stdin, stdout and stderr: a caller's lock (flock) or
# log pipe would otherwise stay held for as long as the daemon runs (seen: libvirtd kept a test lock for hours).
start_daemon() {
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
    done
    exec "$@" </dev/null >/dev/null 2>&1
  )
}
need_root() { [ "$(id -u)" = 0 ] || die "this step needs root (run it with sudo)"; }

# The Debian mirror this host's apt already uses, so nothing names a mirror of its own.
debian_mirror() {
  if [ -n "${SLICE_DEBIAN_MIRROR:-}" ]; then echo "$SLICE_DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | grep -v security | head -1 | awk '{ if ($1 == "deb") { for (i=2;i<=NF;i++) if ($i ~ /^https?:/) { print $i; exit } } else print $2 }')
  [ -n "$uri" ] || die "no Debian mirror found in apt sources; set SLICE_DEBIAN_MIRROR"
  echo "$uri"
}

_apt_updated=0
# Installs Debian packages that are not installed yet; a no-op when all are present.
apt_install() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  need_root
  if [ "$_apt_updated" = 0 ]; then apt-get update -qq; _apt_updated=1; fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
