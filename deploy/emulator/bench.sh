#!/usr/bin/env bash
# Prints the emulator's speed next to qemu-system-riscv64 (TCG) on the same kernel, initramfs and CPU program:
# seconds from power-on to the shell prompt, and million instructions per second. Usage: deploy/emulator/bench.sh [runs]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/../lib/common.sh"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
(cd "$ROOT" && ./mvnw -q -B -pl drivers/emulator -am -DskipTests package >/dev/null 2>&1) || die "building the emulator failed: run mvn -pl drivers/emulator -am package"
"$HERE/build.sh"   # after the jar: (re)trains the emulator's AOT cache when the jar changed
exec "$JAVA_HOME/bin/java" -cp "$ROOT/drivers/emulator/target/classes" dev.slice.emulator.bench.Benchmark \
  "$SLICE_DATA/emulator" "$HERE/slice-emulator" "${1:-3}"
