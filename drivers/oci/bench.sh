#!/usr/bin/env bash
# Runs the OCI driver's provisioning benchmark (OciProvisionBenchmark) against real containers on this
# host and prints Markdown tables for drivers/oci/README.md. Needs root, deploy/oci/setup.sh and
# deploy/oci/build.sh done, and the debian-12 template built.
# Usage: drivers/oci/bench.sh [--baseline REV]... [runs] [resident containers]
#   --baseline REV  also builds the driver as it was at git revision REV (its Java classes, console
#                   keeper and init, in drivers/oci/target/bench-baseline/<rev>) and runs it in turns
#                   with this tree's driver in the same JVM (same load), for a before/after
#                   comparison; may be given several times.
set -euo pipefail
module=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$module/../.." && pwd)
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
baseline_revs=()
while [ "${1:-}" = "--baseline" ]; do baseline_revs+=("$2"); shift 2; done
cd "$root"
./mvnw -q -B -pl drivers/oci -am install -DskipTests
./mvnw -q -B -pl drivers/oci test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$module/target/bench.classpath"
classpath="$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")"
extra=()
for rev in ${baseline_revs[@]+"${baseline_revs[@]}"}; do
  short=$(git -C "$root" rev-parse --short "$rev")
  base="$module/target/bench-baseline/$short"
  rm -rf "$base" && mkdir -p "$base/src" "$base/classes"
  git -C "$root" archive "$rev" drivers/oci/src/main | tar -x -C "$base/src"
  find "$base/src/drivers/oci/src/main/java" -name '*.java' > "$base/sources"
  "$JAVA_HOME/bin/javac" -nowarn -d "$base/classes" -cp "$(cat "$module/target/bench.classpath")" @"$base/sources"
  cp -r "$base/src/drivers/oci/src/main/resources/." "$base/classes/"
  # Its own data directory: that revision's keeper and init (as deploy/oci/build.sh builds them),
  # the same templates, guests of its own.
  mkdir -p "$base/data/bin"
  git -C "$root" archive "$rev" deploy/oci | tar -x -C "$base/src"
  gcc -std=c11 -O2 -Wall -Wextra -o "$base/data/bin/slice-oci-console" "$base/src/deploy/oci/console-keeper.c"
  gcc -std=c11 -O2 -Wall -Wextra -static -o "$base/data/bin/slice-oci-init" "$base/src/deploy/oci/container-init.c"
  ln -s "${SLICE_DATA:-/var/lib/slice}/templates" "$base/data/templates"
  extra+=(--baseline "$base")
  echo "baseline $short: $(git -C "$root" log -1 --format=%s "$rev")"
done
exec "$JAVA_HOME/bin/java" -cp "$classpath" dev.slice.driver.oci.OciProvisionBenchmark "$@" ${extra[@]+"${extra[@]}"}
