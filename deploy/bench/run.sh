#!/usr/bin/env bash
# Slice's end-to-end speed benchmark: one command that builds and starts the packaged app against a fresh
# PostgreSQL database, measures the foundation issue's two goals from processes of their own, cleans up
# (servers, app, database, bridge) and prints a table.
#
#   1. order -> console: a customer orders an OCI server through the REST API, waits until it is ACTIVE and
#      RUNNING, opens the console WebSocket with its signed-in session, presses Enter and waits for the
#      guest's login prompt (ProvisionBench.java). Goal: median <= 1000 ms.
#   2. list read: GET /api/servers of a customer with 20 servers, API-token auth, open-loop at 200 requests/s
#      from a second process (LoadGen.java), after an unmeasured warm-up. Goal: p99 <= 50 ms.
#
# Usage: deploy/bench/run.sh [--runs N] [--no-build] [--rate R] [--seconds S] [--warmup S] [--rows K]
#                            [--port P] [--keep] [--diagnose] [--backend B]
#   --driver-setting K=V   passes slice.drivers.K=V to Slice (e.g. uml.process-mode=ptrace); repeatable
#   --backend   order the smallest plan of this backend in goal 1 (default oci). Any other backend measures
#               goal 1 only, against its own issue's goal: uml 3000 ms (order -> the UML guest's login prompt);
#               qemu: within 2 s of the driver's own figure, which --driver-runs measures.
#   --driver-runs N  with --backend qemu: after goal 1 (Slice stopped), also runs the driver's own benchmark
#               (drivers/libvirt/benchmark.sh, N guests: create + start -> login prompt, no orchestrator)
#   --template T   the OS template goal 1 orders (default debian-12; --backend emulator: debian-13)
#   --qemu-runs N  with --backend emulator: after goal 1 (Slice stopped), boots the same Debian 13 riscv64 kernel,
#               initramfs and root file system N times under QEMU TCG (qemu-system-riscv64, one vCPU, the plan's
#               memory; deploy/emulator/debian/boot-check.py) to its login prompt; the goal: within 3x QEMU
#   --diagnose  also runs the list load with the customer's session cookie instead of its API token (tells the
#               cost of token authentication apart from the list itself)
# Needs: root (containers), the OCI backend set up (deploy/oci/setup.sh, deploy/oci/build.sh), the Debian 12
# template, and PostgreSQL on 127.0.0.1:5432 that trusts user postgres. Only loopback traffic.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/deploy/lib/common.sh"
need_root

runs=12 build=1 rate=200 seconds=30 warmup=15 rows=20 other_customers=24 port="" keep=0 diagnose=0 backend=oci
driver_runs=0 template="" qemu_runs=0
app_settings=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --diagnose) diagnose=1; shift ;;
    --backend) backend=$2; shift 2 ;;
    --driver-runs) driver_runs=$2; shift 2 ;;
    --template) template=$2; shift 2 ;;
    --qemu-runs) qemu_runs=$2; shift 2 ;;
    --driver-setting) app_settings+=("--slice.drivers.$2"); shift 2 ;;
    *) die "unknown option $1 (see the header of $0)" ;;
  esac
done

: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
java="$JAVA_HOME/bin/java"
[ -x "$java" ] || die "no JDK at $JAVA_HOME; set JAVA_HOME to a JDK 25"
command -v psql >/dev/null || die "psql is missing (apt-get install postgresql-client)"

db=slice_bench
bridge=slicebench0 pool=10.79.20.0/24 gateway=10.79.20.1
prefix="bench$(od -An -N2 -tx2 /dev/urandom | tr -d ' ')"       # guest ids <prefix>-<server id>, unique per run
operator_password="Bench-Op-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
work=$(mktemp -d /tmp/slice-bench.XXXXXX)
pg() { psql -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -qAtX "$@"; }
pg -d postgres -c 'select 1' >/dev/null || die "PostgreSQL on 127.0.0.1:5432 (user postgres, trust) is not reachable"

app_pid="" bridge_existed=0
ip link show "$bridge" >/dev/null 2>&1 && bridge_existed=1

stop_app() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    log "stopping Slice (pid $app_pid)"
    kill -TERM "$app_pid"
    for _ in $(seq 60); do kill -0 "$app_pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$app_pid" 2>/dev/null && kill -KILL "$app_pid"
    wait "$app_pid" 2>/dev/null || true # its exit status after SIGTERM is not this script's
  fi
  app_pid=""
}

cleanup() {
  local status=$?
  set +e
  stop_app
  # ProvisionBench deletes every server it ordered (also when a run fails); anything left is reported here.
  local left
  left=$(ls -d "$SLICE_DATA"/oci/guests/"$prefix"-* "$SLICE_DATA"/oci/guests/."$prefix"-*.partial \
             "$SLICE_DATA"/emulator/guests/"$prefix"-* 2>/dev/null || true)
  if command -v virsh >/dev/null; then
    left="$left$(virsh -q -c qemu:///system list --all --name 2>/dev/null | grep "^$prefix-" || true)"
  fi
  [ -n "$left" ] && log "warning: guests of this run were left behind (destroy them by hand): $left"
  pg -d postgres -c "drop database if exists $db with (force)" >/dev/null
  [ "$bridge_existed" = 0 ] && ip link del "$bridge" 2>/dev/null
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
  for p in $(seq 18480 18580); do
    if [ -z "$(ss -ltnH "sport = :$p")" ]; then port=$p; break; fi
  done
fi
[ -n "$port" ] || die "no free port in 18480-18580"
url="http://127.0.0.1:$port"

pg -d postgres -c "drop database if exists $db with (force)" -c "create database $db" >/dev/null
log "starting $(basename "$jar") on $url, database $db, guests $prefix-*, bridge $bridge ($pool)"
# A session of its own: a Ctrl-C or a signal to this script's process group must not stop Slice before
# ProvisionBench has deleted the server of an interrupted run; cleanup stops Slice explicitly.
# SLICE_HOME: where the emulator driver finds its launcher (deploy/emulator/slice-emulator) in this checkout.
SLICE_HOME="$root" setsid "$java" -jar "$jar" \
  --server.address=127.0.0.1 --server.port="$port" \
  --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$db" --spring.datasource.username=postgres \
  --slice.bootstrap.operator-username=admin --slice.bootstrap.operator-password="$operator_password" \
  --slice.bootstrap.bridge="$bridge" --slice.bootstrap.pool-network="$pool" --slice.bootstrap.pool-gateway="$gateway" \
  --slice.guest-id-prefix="$prefix" ${app_settings[@]+"${app_settings[@]}"} \
  >"$work/app.log" 2>&1 &
app_pid=$!
# GET /login answers 200 once the whole application is up (bash's /dev/tcp: no HTTP client needed).
answers_login() {
  local status
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /login HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  read -r status <&3 || true
  exec 3<&-
  [[ "$status" == *" 200"* ]]
}
for i in $(seq 240); do
  kill -0 "$app_pid" 2>/dev/null || { tail -40 "$work/app.log" >&2; die "Slice exited during start-up"; }
  answers_login && break
  [ "$i" = 240 ] && die "Slice did not answer on $url within 240 s"
  sleep 1
done
log "Slice is up after ${i} s"

# CPU pressure (PSI): the share of time in which some runnable task waited for a CPU, over the last 60 s.
cpu_pressure() { sed -n 's/^some .*avg60=\([0-9.]*\).*/\1%/p' /proc/pressure/cpu 2>/dev/null || echo "n/a"; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg) pressure_before=$(cpu_pressure)
log "goal 1: order -> console ($backend), $runs runs"
# The emulator's Debian boots in minutes, not seconds: its runs get 6 minutes each.
[ -z "$template" ] && { [ "$backend" = emulator ] && template=debian-13 || template=debian-12; }
run_limit=120; [ "$backend" = emulator ] && run_limit=360
(cd "$here" && "$java" ProvisionBench.java --url "$url" --operator admin --operator-password "$operator_password" \
  --runs "$runs" --other-customers "$other_customers" --backend "$backend" --template "$template" --run-limit "$run_limit" \
  --out "$work") | tee "$work/provision.out"
read -r n median p90 <"$work/provision-summary.txt"
load_between=$(cut -d' ' -f1-3 /proc/loadavg) pressure_between=$(cpu_pressure)

verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print (v <= g) ? "met" : "MISSED" }'; }
if [ "$backend" != oci ]; then
  case "$backend" in uml) goal=3000 ;; *) goal="" ;; esac
  driver_line=""
  if [ "$backend" = qemu ] && [ "$driver_runs" -gt 0 ]; then
    stop_app # the driver's figure without an idle Slice beside it
    log "the driver's own benchmark: drivers/libvirt/benchmark.sh $driver_runs"
    "$root/drivers/libvirt/benchmark.sh" "$driver_runs" 256 | tee "$work/driver.out"
    driver_ms=$(sed -n 's/^median of .*login prompt after \([0-9.]*\) s.*/\1/p' "$work/driver.out" | awk '{ printf "%d", $1 * 1000 }')
    [ -n "$driver_ms" ] || die "no median in the driver benchmark's output ($work/driver.out)"
    goal=$((driver_ms + 2000))
    driver_line="qemu: driver alone (create + start -> login prompt), median of $driver_runs runs: $driver_ms ms"
  fi
  if [ "$backend" = emulator ] && [ "$qemu_runs" -gt 0 ]; then
    stop_app # QEMU's figure without an idle Slice beside it
    memory=256 # the smallest emulator starter plan, which goal 1 ordered (orchestrator StarterPlans)
    log "QEMU TCG on the same kernel, initramfs and root file system: $qemu_runs boots, ${memory}M, 1 vCPU"
    for i in $(seq "$qemu_runs"); do
      "$root/deploy/emulator/debian/boot-check.py" qemu --memory "${memory}M" --deadline 600 | tee -a "$work/qemu.out"
    done
    qemu_ms=$(sed -n 's/.*login prompt \([0-9.]*\) s.*/\1/p' "$work/qemu.out" | sort -n \
              | awk '{ v[NR] = $1 } END { if (NR) printf "%d", v[int((NR + 1) / 2)] * 1000 }')
    [ -n "$qemu_ms" ] || die "no login prompt time in the QEMU boots' output ($work/qemu.out)"
    goal=$((qemu_ms * 3))
    driver_line="qemu-system-riscv64 (TCG) boot -> login prompt, same Debian 13 files, median of $qemu_runs: $qemu_ms ms;"
    driver_line="$driver_line ratio $(awk -v a="$median" -v b="$qemu_ms" 'BEGIN { printf "%.2f", a / b }')x (goal: within 3x)"
  fi
  echo
  printf '%-52s %-30s %-10s %s\n' "Slice order -> console ($(nproc) cores)" "measured" "goal" "result"
  printf '%-52s %-30s %-10s %s\n' "$backend: order -> console prompt, median of $n runs" "${median} ms (p90 ${p90} ms)" \
    "${goal:+<= $goal ms}" "${goal:+$(verdict "$median" "$goal")}"
  [ -n "$driver_line" ] && echo "$driver_line (the goal: at most 2 s more through Slice)"
  printf 'host: load average %s before, %s after; CPU pressure (PSI some, avg60) %s, %s\n' \
    "$load_before" "$load_between" "$pressure_before" "$pressure_between"
  [ -n "$driver_line" ] && printf 'host after the driver benchmark: load average %s, CPU pressure %s\n' \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$(cpu_pressure)"
  exit 0
fi

log "goal 2: inserting $rows server rows for the list customer and for $other_customers other customers"
list_account=$(cat "$work/list.account")
owners="$list_account $(cat "$work/other.accounts")"
# The list reads rows only (no driver call per server), so these servers are rows, not containers. They sit on
# a second node row ("bench-rows", no drivers here): on node "local" this host's reconciler would report every
# one of them as lost every 30 s (an audit write and a finding update each), which a real fleet does not do.
pg -d "$db" -v owners="{${owners// /,}}" -v rows="$rows" -v prefix="$prefix" <<'SQL'
insert into node (name, cpus, memory_mib, disk_mib, created_at)
select 'bench-rows', cpus, memory_mib, disk_mib, now() from node where name = 'local';
insert into server (guest_id, owner_id, plan_id, node_id, backend, hostname, template, vcpus, memory_mib, disk_mib,
                    bandwidth_mbit, status, power_state, ipv4, mac, ssh_keys, version, created_at, updated_at)
select :'prefix' || '-row-' || o.ord || '-' || g, o.id, p.id, n.id, p.backend, 'web-' || g, 'debian-12', p.vcpus,
       p.memory_mib, p.disk_mib, p.bandwidth_mbit, 'active', 'running', ('10.80.' || o.ord || '.' || g)::inet,
       '02:be:00:' || lpad(to_hex(o.ord::int), 2, '0') || ':00:' || lpad(to_hex(g), 2, '0'), '{}', 0, now(), now()
from unnest(:'owners'::bigint[]) with ordinality as o(id, ord)
cross join generate_series(1, :rows) g
cross join (select * from plan where backend = 'oci' and status = 'active' order by memory_mib limit 1) p
cross join (select id from node where name = 'bench-rows') n;
analyze server;
SQL
log "the server table has $(pg -d "$db" -c 'select count(*) from server') rows"

# CPU accounting over the measured window: the app's JVM and the PostgreSQL backends serving its database.
watch="$app_pid,$(pg -d "$db" -c "select string_agg(pid::text, ',') from pg_stat_activity where datname = '$db' and pid <> pg_backend_pid()")"
log "goal 2: GET /api/servers at $rate/s for $seconds s after a $warmup s warm-up"
(cd "$here" && "$java" LoadGen.java --warmup "$warmup" --cpu-pids "$watch" --expect "\"total\":$rows" "$url/api/servers" "$rate" "$seconds" \
  "Authorization: Bearer $(cat "$work/list.token")") | tee "$work/list.out"
result=$(grep '^RESULT' "$work/list.out")
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
load_after=$(cut -d' ' -f1-3 /proc/loadavg) pressure_after=$(cpu_pressure)

# Control: the same load on a static file (no authentication, no database). If even this misses the target,
# the host's run queue, not Slice's list read, decides the tail.
log "control: GET /console/slice-console.js (static, public) at $rate/s for $seconds s after a $warmup s warm-up"
(cd "$here" && "$java" LoadGen.java --warmup "$warmup" "$url/console/slice-console.js" "$rate" "$seconds") | tee "$work/control.out"
control=$(grep '^RESULT' "$work/control.out")
cfield() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$control"; }
load_control=$(cut -d' ' -f1-3 /proc/loadavg) pressure_control=$(cpu_pressure)

if [ "$diagnose" = 1 ]; then
  log "diagnosis: GET /api/servers with the customer's session cookie instead of its token, same load"
  (cd "$here" && "$java" LoadGen.java --warmup "$warmup" --expect "\"total\":$rows" "$url/api/servers" "$rate" "$seconds" \
    "Cookie: $(cat "$work/list.session")") | tee "$work/session.out"
  session=$(grep '^RESULT' "$work/session.out")
fi
sfield() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$session"; }

echo
printf '%-52s %-30s %-10s %s\n' "Slice speed goals ($(nproc) cores)" "measured" "goal" "result"
printf '%-52s %-30s %-10s %s\n' "order -> console prompt, median of $n runs" "${median} ms (p90 ${p90} ms)" "<= 1000 ms" "$(verdict "$median" 1000)"
printf '%-52s %-30s %-10s %s\n' "GET /api/servers ($rows rows), p99 at $rate/s for $seconds s" \
  "$(field p99) ms (p50 $(field p50), max $(field max))" "<= 50 ms" "$(verdict "$(field p99)" 50)"
printf '%-52s %-30s %-10s %s\n' "control: static file GET, p99 at $rate/s for $seconds s" \
  "$(cfield p99) ms (p50 $(cfield p50), max $(cfield max))" "" "(host)"
if [ "$diagnose" = 1 ]; then
  printf '%-52s %-30s %-10s %s\n' "diagnosis: same list with a session cookie, p99" \
    "$(sfield p99) ms (p50 $(sfield p50), max $(sfield max))" "" "(no token)"
fi
printf 'list: %s requests, %s errors; control: %s requests, %s errors\n' "$(field requests)" "$(field errors)" \
  "$(cfield requests)" "$(cfield errors)"
printf 'host: load average %s before goal 1, %s after it, %s after goal 2, %s after the control\n' \
  "$load_before" "$load_between" "$load_after" "$load_control"
printf 'host: CPU pressure (PSI some, avg60) %s, %s, %s, %s\n' "$pressure_before" "$pressure_between" "$pressure_after" "$pressure_control"
grep '^CPU in the measured window' "$work/list.out" | sed 's/watched processes/Slice JVM + its PostgreSQL backends/'
