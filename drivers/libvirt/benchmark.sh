#!/usr/bin/env bash
# Runs the libvirt driver's own benchmark (LibvirtBenchmark: create + start -> login prompt on the console,
# QEMU's memory) against the real libvirtd on this host; prints each run, the medians and the host's load.
# Needs root, deploy/libvirt/setup.sh and deploy/libvirt/build.sh done. Builds only this module and what it
# needs, in this tree (nothing is installed into ~/.m2).
# Usage: drivers/libvirt/benchmark.sh [runs (5)] [guest RAM in MiB (256)]
#        drivers/libvirt/benchmark.sh --agent [runs (3)]   (GuestAgentBenchmark: the benchmark template's guest agent)
set -euo pipefail
module=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$module/../.." && pwd)
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
cd "$root"
# Relative: each module of the reactor writes its own; only this module's is used.
./mvnw -q -B -o -pl drivers/libvirt -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath
classpath="$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")"
if [ "${1:-}" = --agent ]; then
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classpath" \
    dev.slice.driver.libvirt.GuestAgentBenchmark "${2:-3}"
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classpath" \
  dev.slice.driver.libvirt.LibvirtBenchmark "${1:-5}" "${2:-256}"
