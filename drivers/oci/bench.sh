#!/usr/bin/env bash
# Runs the OCI driver's provisioning benchmark (OciProvisionBenchmark) against real containers on this
# host and prints Markdown tables for drivers/oci/README.md. Needs root, deploy/oci/setup.sh and
# deploy/oci/build.sh done, and the debian-12 template built.
# Usage: drivers/oci/bench.sh [runs] [resident containers]
set -euo pipefail
module=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$module/../.." && pwd)
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
cd "$root"
./mvnw -q -B -pl drivers/oci -am install -DskipTests
./mvnw -q -B -pl drivers/oci test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$module/target/bench.classpath"
exec "$JAVA_HOME/bin/java" -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")" \
  dev.slice.driver.oci.OciProvisionBenchmark "$@"
