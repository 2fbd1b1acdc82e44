#!/usr/bin/env bash
# Runs the emulator driver benchmark (dev.slice.driver.emulator.EmulatorBenchmark) against real guests on this host:
# boot time and memory of one JVM per guest, through the launcher and its AOT cache; then the same number of
# guests in one shared JVM (SharedJvmBenchmark), side by side in one run.
# Usage, from anywhere, after deploy/emulator/build.sh:  drivers/emulator/benchmark.sh [rounds] [guests-at-once]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -q -B -o -pl drivers/emulator -am package -DskipTests
jar=$(ls "$PWD"/drivers/emulator/target/driver-emulator-*.jar | grep -v sources | head -1)
deploy/emulator/build.sh   # trains the AOT cache for this jar if it is new
./mvnw -q -B -o -pl drivers/emulator -am test-compile
cp="drivers/driver-api/target/classes:drivers/driver-tck/target/classes:drivers/emulator/target/classes:drivers/emulator/target/test-classes"
echo "== one JVM per guest (the driver: launcher, AOT cache, a process and cgroup per guest) =="
"$JAVA_HOME/bin/java" -cp "$cp" dev.slice.driver.emulator.EmulatorBenchmark "${1:-3}" "${2:-3}" "$jar"
# The same guests in one JVM, with the launcher's options (its AOT cache belongs to the jar, so none here:
# the one-JVM figures above are with it, which only helps the per-guest JVMs).
echo "== several guests in one JVM (same run, same options as the launcher) =="
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr --sun-misc-unsafe-memory-access=allow \
  -cp "$cp" dev.slice.driver.emulator.SharedJvmBenchmark "${2:-3}" 128
