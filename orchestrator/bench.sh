#!/usr/bin/env bash
# Runs the orchestrator benchmark (OrchestratorBenchmark: order throughput and latency, job queue throughput) on
# real PostgreSQL (127.0.0.1:5432 if it answers, else an embedded one) with the in-memory driver, and prints
# Markdown rows for orchestrator/README.md.
# Usage: orchestrator/bench.sh [orders] [client threads] [worker threads]
set -euo pipefail
module=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$module/.." && pwd)
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
cd "$root"
./mvnw -q -B -pl orchestrator -am install -DskipTests
./mvnw -q -B -pl orchestrator test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$module/target/bench.classpath"
cd "$module"
exec "$JAVA_HOME/bin/java" -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")" \
  dev.slice.bench.OrchestratorBenchmark "$@"
