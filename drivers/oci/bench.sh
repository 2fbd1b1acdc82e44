#!/usr/bin/env bash
# Runs the OCI driver's provisioning benchmark (OciProvisionBenchmark) against real containers on this
# host and prints Markdown tables for drivers/oci/README.md. Needs root, deploy/oci/setup.sh and
# deploy/oci/build.sh done, and the debian-12 template built.
# Usage: drivers/oci/bench.sh [--baseline REV] [runs] [resident containers]
#   --baseline REV  also compiles the driver as it was at git revision REV and runs it in turns with
#                   this tree's driver in the same JVM (same load), for a before/after comparison.
set -euo pipefail
module=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$module/../.." && pwd)
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
baseline_rev=""
if [ "${1:-}" = "--baseline" ]; then baseline_rev=$2; shift 2; fi
cd "$root"
./mvnw -q -B -pl drivers/oci -am install -DskipTests
./mvnw -q -B -pl drivers/oci test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$module/target/bench.classpath"
classpath="$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")"
extra=()
if [ -n "$baseline_rev" ]; then
  base="$module/target/bench-baseline"
  rm -rf "$base" && mkdir -p "$base/src" "$base/classes"
  git -C "$root" archive "$baseline_rev" drivers/oci/src/main | tar -x -C "$base/src"
  find "$base/src/drivers/oci/src/main/java" -name '*.java' > "$base/sources"
  "$JAVA_HOME/bin/javac" -nowarn -d "$base/classes" -cp "$(cat "$module/target/bench.classpath")" @"$base/sources"
  cp -r "$base/src/drivers/oci/src/main/resources/." "$base/classes/"
  extra=(--baseline "$base/classes")
  echo "baseline: $(git -C "$root" rev-parse --short "$baseline_rev") ($baseline_rev)"
fi
exec "$JAVA_HOME/bin/java" -cp "$classpath" dev.slice.driver.oci.OciProvisionBenchmark "$@" ${extra[@]+"${extra[@]}"}
