#!/usr/bin/env bash
# Fetches the panel's browser console libraries (xterm.js and its fit add-on) from npm at the versions
# pinned in src/main/console-assets/package-lock.json and places their built files where the Maven
# build packs them as static resources (/console/xterm/*). The libraries are never committed.
# Idempotent: does nothing when the files for the current lock file are already there.
# Usage: panel-ui/fetch-assets.sh [output-dir]   (default: panel-ui/target/console-assets)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../deploy/lib/common.sh"

src=$here/src/main/console-assets
out=${1:-$here/target/console-assets}
want=$(sha256sum "$src/package-lock.json" | cut -d' ' -f1)
if [ -f "$out/.lock-sha256" ] && [ "$(cat "$out/.lock-sha256")" = "$want" ]; then
  exit 0
fi

command -v npm >/dev/null 2>&1 || apt_install npm

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/package.json" "$src/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

mkdir -p "$out"
cp "$work/node_modules/@xterm/xterm/lib/xterm.js" \
   "$work/node_modules/@xterm/xterm/css/xterm.css" \
   "$work/node_modules/@xterm/addon-fit/lib/addon-fit.js" "$out/"
echo "$want" > "$out/.lock-sha256"
log "panel console assets ready in $out"
