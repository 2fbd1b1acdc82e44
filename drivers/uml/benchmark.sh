#!/usr/bin/env bash
# Runs the UML driver benchmark (dev.slice.driver.uml.UmlBenchmark) against real guests on this host.
# Usage, from the repository root, after deploy/uml/setup.sh and deploy/uml/build.sh:
#   drivers/uml/benchmark.sh [runs]        (default 5 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -q -B -pl drivers/uml -am install -DskipTests
./mvnw -q -B -pl drivers/uml test-compile
tck=$(ls "$HOME"/.m2/repository/dev/slice/driver-tck/*/driver-tck-*.jar | grep -v sources | head -1)
exec "$JAVA_HOME/bin/java" -cp "drivers/driver-api/target/classes:drivers/uml/target/classes:drivers/uml/target/test-classes:$tck" \
  dev.slice.driver.uml.UmlBenchmark "${1:-5}"
