#!/usr/bin/env bash
# Runs the emulator driver benchmark (dev.slice.driver.emulator.EmulatorBenchmark) against real guests on this host:
# boot time and memory of one JVM per guest, through the launcher and its AOT cache.
# Usage, from anywhere, after deploy/emulator/build.sh:  drivers/emulator/benchmark.sh [rounds] [guests-at-once]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -q -B -o -pl drivers/emulator -am package -DskipTests
jar=$(ls "$PWD"/drivers/emulator/target/driver-emulator-*.jar | grep -v sources | head -1)
deploy/emulator/build.sh   # trains the AOT cache for this jar if it is new
./mvnw -q -B -o -pl drivers/emulator -am test-compile
exec "$JAVA_HOME/bin/java" -cp "drivers/driver-api/target/classes:drivers/driver-tck/target/classes:drivers/emulator/target/classes:drivers/emulator/target/test-classes" \
  dev.slice.driver.emulator.EmulatorBenchmark "${1:-3}" "${2:-3}" "$jar"
