#!/usr/bin/env bash
# The operators' report as one command: builds and starts the packaged app against a fresh PostgreSQL database,
# starts a benchmark run (default: full depth, every backend of this node, the smallest plan 1 vCPU / 256 MiB /
# 1 GiB) through the REST API as the operator (ReportBench.java), follows it, then prints the ratio table, the
# density figures per backend, the host facts and the host load during the run, and checks that no guest of the
# run is left. The run itself is the same job as in the panel (orchestrator/src/main/java/dev/slice/report).
#
# Usage: deploy/bench/report.sh [--depth full|quick] [--backends oci,qemu,...] [--vcpus N] [--memory MIB] [--disk MIB]
#                               [--reserve MIB] [--no-density] [--no-build] [--port P] [--keep]
# Needs: root, the backends set up (deploy/setup-host.sh), deploy/reports/build.sh (yardstick + field tools on the
# host), the debian-12-bench template for the field tools in guests, PostgreSQL on 127.0.0.1:5432 trusting postgres.
# Traffic: loopback, and the run's own bridge and subnet (guests <-> the host end of their link) only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/deploy/lib/common.sh"
need_root

depth=full backends="" vcpus=1 memory=256 disk=1024 reserve="" density=true build=1 port="" keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --depth) depth=$2; shift 2 ;;
    --backends) backends=$2; shift 2 ;;
    --vcpus) vcpus=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    --disk) disk=$2; shift 2 ;;
    --reserve) reserve=$2; shift 2 ;;
    --no-density) density=false; shift ;;
    --no-build) build=0; shift ;;
    --port) port=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) die "unknown option $1 (see the header of $0)" ;;
  esac
done
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
java="$JAVA_HOME/bin/java"
[ -x "$java" ] || die "no JDK at $JAVA_HOME; set JAVA_HOME to a JDK 25"
command -v psql >/dev/null || die "psql is missing (apt-get install postgresql-client)"

db=slice_report
prefix="rpt$(od -An -N2 -tx2 /dev/urandom | tr -d ' ')"
operator_password="Report-Op-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
work=$(mktemp -d /tmp/slice-report.XXXXXX)
pg() { psql -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -qAtX "$@"; }
q() { pg -d "$db" -c "$1"; }
pg -d postgres -c 'select 1' >/dev/null || die "PostgreSQL on 127.0.0.1:5432 (user postgres, trust) is not reachable"

app_pid="" run_id=""
stop_app() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM "$app_pid"
    for _ in $(seq 90); do kill -0 "$app_pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$app_pid" 2>/dev/null && kill -KILL "$app_pid"
    wait "$app_pid" 2>/dev/null || true
  fi
  app_pid=""
}
cleanup() {
  local status=$?
  set +e
  if [ -n "$run_id" ] && [ -n "$app_pid" ]; then
    # an interrupted run is cancelled: its clean-up step destroys its guests before Slice stops
    if [ "$(q "select status from report_run where id = $run_id")" = running ]; then
      log "cancelling run $run_id"
      q "update report_run set status = 'cancelling', version = version + 1 where id = $run_id and status = 'running'" >/dev/null
      for _ in $(seq 300); do
        case "$(q "select status from report_run where id = $run_id")" in cancelled|failed|succeeded) break ;; esac
        sleep 2
      done
    fi
  fi
  stop_app
  if [ -n "$run_id" ]; then
    left=$(q "select string_agg(guest_id || ' (' || backend || ')', ', ') from report_guest where run_id = $run_id and status <> 'destroyed'")
    [ -n "$left" ] && log "warning: guests of run $run_id were not destroyed: $left"
  fi
  pg -d postgres -c "drop database if exists $db with (force)" >/dev/null
  if [ "$keep" = 1 ] || [ "$status" != 0 ]; then log "logs kept in $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$build" = 1 ]; then
  log "building the app (./mvnw -B -q -pl panel-ui -am package -DskipTests)"
  (cd "$root" && ./mvnw -B -q -pl panel-ui -am package -DskipTests)
fi
jar=$(ls "$root"/panel-ui/target/panel-ui-*.jar 2>/dev/null | grep -v -- '-plain\|sources' | head -1)
[ -n "$jar" ] || die "no panel-ui jar; run without --no-build"
if [ -z "$port" ]; then
  for p in $(seq 18600 18700); do
    if [ -z "$(ss -ltnH "sport = :$p")" ]; then port=$p; break; fi
  done
fi
[ -n "$port" ] || die "no free port in 18600-18700"
url="http://127.0.0.1:$port"

pg -d postgres -c "drop database if exists $db with (force)" -c "create database $db" >/dev/null
log "starting $(basename "$jar") on $url, database $db, guests $prefix-*"
setsid "$java" -jar "$jar" \
  --server.address=127.0.0.1 --server.port="$port" \
  --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$db" --spring.datasource.username=postgres \
  --slice.bootstrap.operator-username=admin --slice.bootstrap.operator-password="$operator_password" \
  --slice.bootstrap.configure-bridge=false --slice.reconciler.enabled=false \
  --slice.reports.bridge=slicerep0 --slice.reports.network=10.79.40.0/24 \
  --slice.guest-id-prefix="$prefix" >"$work/app.log" 2>&1 &
app_pid=$!
answers_login() {
  local status
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /login HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  read -r status <&3 || true
  exec 3<&-
  [[ "$status" == *" 200"* ]]
}
for i in $(seq 300); do
  kill -0 "$app_pid" 2>/dev/null || { tail -40 "$work/app.log" >&2; die "Slice exited during start-up"; }
  answers_login && break
  [ "$i" = 300 ] && die "Slice did not answer on $url within 300 s"
  sleep 1
done
node_id=$(q "select id from node where name = 'local'")
body="{\"nodeId\": $node_id, \"vcpus\": $vcpus, \"memoryMiB\": $memory, \"diskMiB\": $disk, \"depth\": \"$depth\","
body+=" \"density\": $density"
# Left out, the run keeps its default 2 GiB free while adding guests and its "fit here" keeps the node's reserve.
if [ -n "$reserve" ]; then body+=", \"reserveMiB\": $reserve"; fi
if [ -n "$backends" ]; then body+=", \"backends\": [\"${backends//,/\",\"}\"]"; fi
body+="}"
load_before=$(cat /proc/loadavg)
started=$(date +%s)
read -r _ run_id _ job_id < <(cd "$here" && "$java" ReportBench.java "$url" admin "$operator_password" "$body")
log "run $run_id (job $job_id) started at $(date -u +%H:%M:%S) UTC: $body; load before: $load_before"

while true; do
  status=$(q "select status from report_run where id = $run_id")
  step=$(q "select coalesce(steps[next_step + 1], '-') || ' (' || next_step || '/' || cardinality(steps) || ')' from job where id = $job_id")
  samples=$(q "select count(*) from report_sample where run_id = $run_id")
  log "$(date -u +%H:%M:%S) run $run_id: $status, step $step, $samples samples, load $(cut -d' ' -f1-3 /proc/loadavg)"
  case "$status" in succeeded|failed|cancelled) break ;; esac
  kill -0 "$app_pid" 2>/dev/null || die "Slice stopped during the run (see $work/app.log)"
  sleep 20
done
elapsed=$(( $(date +%s) - started ))

echo
echo "== Slice benchmark run $run_id: $status after $elapsed s (depth $depth, plan $vcpus vCPU / $memory MiB / $disk MiB) =="
q "select 'host: ' || cpu_model || ', ' || cpus || ' CPUs, ' || memory_mib || ' MiB, kernel ' || kernel || ', ' || cgroups
     || ', KVM device ' || kvm_device || ', KSM ' || ksm || ', governor ' || governor from report_host_facts where run_id = $run_id"
q "select 'backends: ' || backends from report_host_facts where run_id = $run_id"
q "select target || ': template ' || coalesce(template, '(host)') || case when emulated then ', EMULATED' else '' end
     || ', tools: yardstick' || case when cardinality(tools) > 0 then ', ' || array_to_string(tools, ', ') else '' end
     from report_target where run_id = $run_id order by target"
echo
q "select output from job where id = $job_id"
[ "$status" = succeeded ] || q "select 'error: ' || coalesce(error, '') from report_run where id = $run_id"
echo
q "select 'host load during the samples: load average ' || round(min(load_average)::numeric, 2) || '-' || round(max(load_average)::numeric, 2)
     || ' (median ' || round((percentile_cont(0.5) within group (order by load_average))::numeric, 2) || '), CPU PSI some avg10 '
     || round(min(cpu_pressure)::numeric, 1) || '-' || round(max(cpu_pressure)::numeric, 1) || ' %, MemAvailable '
     || min(mem_available_mib) || '-' || max(mem_available_mib) || ' MiB' from report_sample where run_id = $run_id"
echo "host load: before $load_before; after $(cat /proc/loadavg); $(nproc) cores shared with whatever else runs here"
left=$(q "select count(*) from report_guest where run_id = $run_id and status <> 'destroyed'")
echo "guests made by the run: $(q "select count(*) from report_guest where run_id = $run_id"), left: $left"
[ "$status" = succeeded ] && [ "$left" = 0 ]
