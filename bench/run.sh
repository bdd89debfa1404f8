#!/usr/bin/env bash
# Load benchmark of thncd: req/s, latency percentiles, peak RSS and start-up time per
# backend (SQLite, PostgreSQL). See bench/README.md.
#
#   bash bench/run.sh                                   # build, then run everything
#   THNCD_BIN=path/to/thncd DURATION=5 bash bench/run.sh
#   BACKENDS=sqlite CONNECTIONS=16 bash bench/run.sh
#
# Adding a scenario: one line in `scenarios` below, `scenario NAME LUA_SCRIPT [ARGS...]`,
# with the Lua script in bench/wrk/ (ARGS are passed to its init(args)).
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# ---- knobs ---------------------------------------------------------------------------
DURATION=${DURATION:-15}           # seconds per measured wrk run
WARMUP=${WARMUP:-3}                # seconds of unmeasured wrk load before each run
CONNECTIONS=${CONNECTIONS:-64}     # wrk -c
THREADS=${THREADS:-2}              # wrk -t
BACKENDS=${BACKENDS:-"sqlite postgres"}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_USER=${BENCH_PG_USER:-postgres}
PG_DB=${BENCH_PG_DB:-thncd_bench}
ADMIN_USER=${BENCH_ADMIN_USER:-bench-admin}
ADMIN_PASSWORD=${BENCH_ADMIN_PASSWORD:-Bench-password-1}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-120}   # seconds to wait for the first 200 on /healthz
BUSY_THRESHOLD=${BUSY_THRESHOLD:-15}      # % of machine CPU busy before a run that is warned about

# ---- state -----------------------------------------------------------------------------
WORK_TMP=""
SERVICE_PID=""
SAMPLER_PID=""
SERVICE_LOG=""
PG_CREATED=0
BACKEND=""
PORT=""
RESULTS=""
CODES_LUA=""
INVALID=0
declare -a NOISY=()        # runs that started on an already busy machine
declare -a SUMMARY=()       # Markdown lines, printed at the end
# Per-backend scenario results (reset by run_backend).
declare -a S_NAME=() S_RPS=() S_P50=() S_P99=() S_RSS=() S_CPU=() S_REQS=() S_BAD=()

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

die() {
  log "ERROR: $*"
  if [[ -n $SERVICE_LOG && -s $SERVICE_LOG ]]; then
    log "last lines of the service log ($SERVICE_LOG):"
    tail -n 30 "$SERVICE_LOG" >&2 || true
  fi
  exit 1
}

banner() {
  local line='################################################################################'
  printf '\n%s\n### %s\n%s\n\n' "$line" "$*" "$line" >&2
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# ---- set-up ----------------------------------------------------------------------------
# ROOT, BIN (THNCD_BIN or the release build), jq, curl, wrk and the results folder OUT come
# from the set-up every bench script shares; this script's own service handling follows.
NAME=run PORT=0
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
need_wrk

# A TCP port on 127.0.0.1 that nothing listens on (small race with other processes, fine here).
free_port() {
  local port i
  for i in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

# Generates a Lua file `return { "01", "00070", ... }` from column 1 of the units CSV.
make_codes_lua() {
  local csv=$ROOT/data/admin-units-vn-2025.csv
  [[ -f $csv ]] || die "missing $csv"
  CODES_LUA=$WORK_TMP/admin_unit_codes.lua
  tail -n +2 "$csv" | cut -d, -f1 | tr -d '\r' | awk '
    BEGIN { print "return {" }
    /^[0-9A-Za-z]+$/ { printf "  \"%s\",\n", $1; n++ }
    END { print "}"; if (n == 0) exit 1 }' > "$CODES_LUA" || die "no codes in $csv"
  log "$(grep -c '"' "$CODES_LUA") admin-unit codes written to $CODES_LUA"
}

# ---- the service -----------------------------------------------------------------------
# The command line that runs the binary with the current backend's environment, in SVC_CMD.
# It is a plain `env ... BIN` so that a background `"${SVC_CMD[@]}" &` gives the service's
# own pid (env execs the binary), which the RSS and CPU sampling need.
svc_cmd() {
  SVC_CMD=(env)
  [[ $BACKEND == postgres ]] || SVC_CMD+=(-u DATABASE_URL)
  SVC_CMD+=(THNCD_BIND="127.0.0.1:$PORT" THNCD_DATA_DIR="$DATA_DIR" RUST_LOG="${RUST_LOG:-warn}")
  [[ $BACKEND != postgres ]] || SVC_CMD+=(DATABASE_URL="$(pg_url "$PG_DB")")
  SVC_CMD+=("$BIN" "$@")
}

start_service() {
  SERVICE_LOG=$RESULTS/$BACKEND-service.log
  local t0 code="" deadline
  svc_cmd
  t0=$(now_ms)
  "${SVC_CMD[@]}" >"$SERVICE_LOG" 2>&1 &
  SERVICE_PID=$!
  deadline=$(( t0 + STARTUP_TIMEOUT * 1000 ))
  while :; do
    kill -0 "$SERVICE_PID" 2>/dev/null || die "the service exited during start-up"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/healthz" || true)
    [[ $code == 200 ]] && break
    (( $(now_ms) < deadline )) || die "no 200 on /healthz after ${STARTUP_TIMEOUT}s"
    sleep 0.01
  done
  STARTUP_MS=$(( $(now_ms) - t0 ))
  local exe
  exe=$(readlink "/proc/$SERVICE_PID/exe" 2>/dev/null || true)
  [[ $exe == "$(readlink -f "$BIN")" ]] || die "pid $SERVICE_PID runs '$exe', not $BIN: RSS would be measured on the wrong process"
  log "$BACKEND: service pid $SERVICE_PID on port $PORT, first 200 on /healthz after ${STARTUP_MS} ms"
}

stop_service() {
  [[ -n $SERVICE_PID ]] || return 0
  if kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 150); do
      kill -0 "$SERVICE_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$SERVICE_PID" 2>/dev/null && kill -KILL "$SERVICE_PID" 2>/dev/null || true
  fi
  wait "$SERVICE_PID" 2>/dev/null || true
  SERVICE_PID=""
}

get_token() {
  local body token
  body=$(curl -s --max-time 10 -X POST "http://127.0.0.1:$PORT/api/v1/auth/token" \
    --data-urlencode grant_type=password \
    --data-urlencode "username=$ADMIN_USER" \
    --data-urlencode "password=$ADMIN_PASSWORD") || die "token request failed"
  token=$(printf '%s' "$body" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
  [[ -n $token ]] || die "no access_token in the token response: $body"
  printf '%s' "$token"
}

# Fails unless GET PATH answers 200 (with the token); checked before any load is applied.
expect_200() {
  local path=$1 code
  code=$(curl -s -o "$WORK_TMP/preflight.json" -w '%{http_code}' --max-time 10 \
    -H "Authorization: Bearer $THNCD_BENCH_TOKEN" "http://127.0.0.1:$PORT$path" || true)
  [[ $code == 200 ]] || die "preflight GET $path answered $code: $(head -c 400 "$WORK_TMP/preflight.json")"
}

# ---- measurements ----------------------------------------------------------------------
# Polls VmRSS of PID every 100 ms, keeping the maximum (kB) in OUT, until killed.
sample_rss() {
  trap - EXIT
  local pid=$1 out=$2 max=0 v
  echo 0 >"$out"
  while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    if [[ -n $v ]] && (( v > max )); then
      max=$v
      echo "$max" >"$out"
    fi
    sleep 0.1
  done
}

cpu_ticks() {  # utime + stime of PID, in clock ticks
  local f
  read -r -a f < <(sed 's/^.*) //' "/proc/$1/stat")
  echo $(( f[11] + f[12] ))
}

# Share of the whole machine's CPU (0-100) busy over half a second: anything else running
# (a build, another test) shares the cores with wrk and the service and skews the figures.
machine_busy_pct() {
  local a b total
  read -r -a a < <(machine_ticks)
  sleep 0.5
  read -r -a b < <(machine_ticks)
  total=$(( b[1] - a[1] ))
  echo $(( total > 0 ? 100 * (b[0] - a[0]) / total : 0 ))
}

# CPU time (clock ticks) used so far by this shell's finished children (wrk). Sets
# CHILD_TICKS; it must run in the main shell, not in $( ), where `times` would see only
# the subshell's own children.
children_ticks() {
  local hz line
  hz=$(getconf CLK_TCK)
  times >"$WORK_TMP/times"
  line=$(tail -n 1 "$WORK_TMP/times")
  CHILD_TICKS=$(awk -v hz="$hz" -v l="$line" 'BEGIN {
    n = split(l, f, " "); s = 0
    for (i = 1; i <= n; i++) { split(f[i], p, "m"); sub(/s$/, "", p[2]); s += p[1] * 60 + p[2] }
    printf "%d", s * hz }')
}

# CPU ticks used so far by the live PostgreSQL server processes (their comm is "postgres").
pg_ticks() {
  local pid
  for pid in $(pgrep -x postgres 2>/dev/null || true); do
    sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null || true
  done | awk '{ s += $12 + $13 } END { printf "%d", s }'
}

kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

slug() { printf '%s' "$1" | tr 'A-Z' 'a-z' | sed 's/[^a-z0-9]\{1,\}/-/g; s/^-//; s/-$//' | cut -c1-60; }

# scenario NAME LUA_SCRIPT [ARGS...]
# Warms up, then runs wrk for DURATION seconds against the running service while sampling
# its peak RSS and CPU time, saves the raw output and records one table row. LUA_SCRIPT is
# relative to bench/wrk/ unless absolute; ARGS reach the script's init(args). The token is
# in THNCD_BENCH_TOKEN. The first scenario of a backend is the baseline for the ratios.
scenario() {
  local name=$1 script=$2
  shift 2
  [[ $script == /* ]] || script=$BENCH_DIR/wrk/$script
  [[ -f $script ]] || die "no Lua script $script"
  local n=$(( ${#S_NAME[@]} + 1 ))
  local base
  base=$RESULTS/$BACKEND-$(printf '%02d' "$n")-$(slug "$name")
  local url=http://127.0.0.1:$PORT
  local wrk_args=(-t"$THREADS" -c"$CONNECTIONS" --latency -s "$script" "$url")
  (( $# == 0 )) || wrk_args+=(-- "$@")

  local busy
  busy=$(machine_busy_pct)
  log "$BACKEND: the machine is ${busy}% busy before '$name'"
  if (( busy > BUSY_THRESHOLD )); then
    banner "the machine is already ${busy}% busy before '$name' ($BACKEND): other processes share the cores, figures will be low and noisy"
    NOISY+=("$BACKEND / $name: machine ${busy}% busy before the run")
  fi

  if (( WARMUP > 0 )); then
    log "$BACKEND: warm-up ${WARMUP}s: $name"
    wrk -d"${WARMUP}s" "${wrk_args[@]}" >"$base.warmup.txt" 2>&1 || die "wrk warm-up failed: $(tail -n 5 "$base.warmup.txt")"
  fi

  # Peak RSS of this run only: reset the kernel's high-water mark (Linux ≥ 4.0, own or
  # root's process), and poll VmRSS as well in case the reset is not allowed.
  local hwm_reset=0
  if echo 5 2>/dev/null >"/proc/$SERVICE_PID/clear_refs"; then hwm_reset=1; fi
  sample_rss "$SERVICE_PID" "$base.rss" &
  SAMPLER_PID=$!
  local cpu0 t0 cpu1 t1
  local m0 m1 k0 k1 p0 p1
  cpu0=$(cpu_ticks "$SERVICE_PID")
  read -r -a m0 < <(machine_ticks)
  children_ticks
  k0=$CHILD_TICKS
  p0=$(pg_ticks)
  t0=$(now_ms)

  log "$BACKEND: measuring ${DURATION}s (-t$THREADS -c$CONNECTIONS): $name"
  {
    echo "# thncd bench: backend=$BACKEND scenario=$name"
    echo "# wrk -d${DURATION}s ${wrk_args[*]}"
  } >"$base.txt"
  local rc=0
  wrk -d"${DURATION}s" "${wrk_args[@]}" >>"$base.txt" 2>&1 || rc=$?

  t1=$(now_ms)
  cpu1=$(cpu_ticks "$SERVICE_PID" 2>/dev/null || echo "$cpu0")
  read -r -a m1 < <(machine_ticks)
  children_ticks
  k1=$CHILD_TICKS
  p1=$(pg_ticks)
  local hwm=0
  if (( hwm_reset )); then
    hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVICE_PID/status" 2>/dev/null || echo 0)
  fi
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=""
  (( rc == 0 )) || die "wrk failed (exit $rc): $(tail -n 5 "$base.txt")"
  kill -0 "$SERVICE_PID" 2>/dev/null || die "the service died during $name"

  local rss_kb sampled
  sampled=$(cat "$base.rss" 2>/dev/null || echo 0)
  rss_kb=$(( hwm > sampled ? hwm : sampled ))

  local f=$base.txt rps p50 p99 reqs non2xx sockerr
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
  reqs=$(awk '/ requests in / { print $1 }' "$f")
  p50=$(awk '/Latency Distribution/ { d = 1 } d && $1 == "50%" { print $2; exit }' "$f")
  p99=$(awk '/Latency Distribution/ { d = 1 } d && $1 == "99%" { print $2; exit }' "$f")
  non2xx=$(awk -F: '/Non-2xx or 3xx responses/ { gsub(/ /, "", $2); print $2 }' "$f")
  sockerr=$(awk '/Socket errors/ { s = 0; for (i = 1; i <= NF; i++) { v = $i; gsub(/,/, "", v); if (v ~ /^[0-9]+$/) s += v }; print s }' "$f")
  [[ -n $rps && -n $p50 && -n $p99 ]] || die "could not parse wrk output $f"
  non2xx=${non2xx:-0}
  sockerr=${sockerr:-0}

  local bad=ok
  if (( non2xx > 0 || sockerr > 0 )); then
    bad="**INVALID**: ${non2xx} non-2xx, ${sockerr} socket errors"
    INVALID=1
    banner "$BACKEND / $name: ${non2xx} non-2xx responses, ${sockerr} socket errors (see $f)"
  fi

  local ticks cpu_pct
  ticks=$(getconf CLK_TCK)
  cpu_pct=$(awk -v c=$(( cpu1 - cpu0 )) -v hz="$ticks" -v ms=$(( t1 - t0 )) \
    'BEGIN { printf "%.0f%%", (ms > 0 ? 100 * (c / hz) / (ms / 1000) : 0) }')

  # What neither the service, wrk nor PostgreSQL used of the machine's CPU: other work.
  local other_pct pg_pct span=$(( m1[1] - m0[1] ))
  other_pct=$(( span > 0 ? 100 * ((m1[0] - m0[0]) - (cpu1 - cpu0) - (k1 - k0) - (p1 - p0)) / span : 0 ))
  (( other_pct >= 0 )) || other_pct=0
  pg_pct=$(( span > 0 ? 100 * (p1 - p0) / span : 0 ))
  log "$BACKEND: $name: of the whole machine, PostgreSQL used ${pg_pct}%, other processes ${other_pct}%"
  if (( other_pct > BUSY_THRESHOLD )); then
    banner "other processes used ${other_pct}% of the machine during '$name' ($BACKEND): figures are low and noisy"
    NOISY+=("$BACKEND / $name: other processes used ${other_pct}% of the machine during the run")
  fi

  S_NAME+=("$name"); S_RPS+=("$rps"); S_P50+=("$p50"); S_P99+=("$p99")
  S_RSS+=("$rss_kb"); S_CPU+=("$cpu_pct"); S_REQS+=("$reqs"); S_BAD+=("$bad")
  log "$BACKEND: $name: $rps req/s, p50 $p50, p99 $p99, peak RSS $(kib_to_mib "$rss_kb"), service CPU $cpu_pct, $bad"
}

# The scenarios run against each backend, in order; the first is the ratio baseline.
scenarios() {
  scenario "GET /healthz" healthz.lua
  scenario "GET /api/v1/admin-units/{code} (random code)" admin_unit_by_code.lua "$CODES_LUA"
  scenario "GET /api/v1/admin-units?parent=01&q=phuong" get_paths.lua "/api/v1/admin-units?parent=01&q=phuong"
}

# The paths the scenarios hit, checked for a 200 before any load.
preflight() {
  expect_200 /healthz
  expect_200 /api/v1/admin-units/01
  expect_200 /api/v1/admin-units/00070
  expect_200 "/api/v1/admin-units?parent=01&q=phuong"
  local total
  total=$(sed -n 's/.*"total" *: *\([0-9]*\).*/\1/p' "$WORK_TMP/preflight.json")
  log "$BACKEND: preflight ok (the search matches ${total:-?} units)"
}

# ---- PostgreSQL --------------------------------------------------------------------------
pg_url() { echo "postgres://$PG_USER@$PG_HOST:$PG_PORT/$1"; }

psql_admin() {
  PGCONNECT_TIMEOUT=3 PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres "$@"
}

pg_reachable() {
  command -v psql >/dev/null || { PG_WHY="psql is not installed"; return 1; }
  local out
  out=$(psql_admin -tAc 'SELECT 1' 2>&1) || { PG_WHY=$out; return 1; }
  return 0
}

pg_fresh_db() {
  psql_admin -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" -c "CREATE DATABASE $PG_DB" >/dev/null \
    || die "could not recreate database $PG_DB"
  PG_CREATED=1
}

pg_drop_db() {
  if (( PG_CREATED )) && [[ -z ${BENCH_KEEP_DB:-} ]]; then
    psql_admin -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    PG_CREATED=0
  fi
}

# ---- one backend ---------------------------------------------------------------------------
run_backend() {
  BACKEND=$1
  S_NAME=(); S_RPS=(); S_P50=(); S_P99=(); S_RSS=(); S_CPU=(); S_REQS=(); S_BAD=()
  DATA_DIR=$WORK_TMP/$BACKEND-data
  rm -rf "$DATA_DIR"
  mkdir -p "$DATA_DIR"
  case $BACKEND in
    sqlite) ;;
    postgres)
      PG_WHY=""
      if ! pg_reachable; then
        banner "POSTGRESQL SKIPPED: $PG_USER@$PG_HOST:$PG_PORT is not reachable: $PG_WHY"
        SUMMARY+=("## postgres" "" "**SKIPPED**: PostgreSQL at $PG_HOST:$PG_PORT not reachable ($PG_WHY)." "")
        return 0
      fi
      pg_fresh_db
      ;;
    *) die "unknown backend '$BACKEND' (sqlite or postgres)" ;;
  esac

  PORT=$(free_port)
  banner "backend $BACKEND"
  start_service
  svc_cmd accounts create --username "$ADMIN_USER" --role admin --unit VN
  THNCD_PASSWORD=$ADMIN_PASSWORD "${SVC_CMD[@]}" >>"$SERVICE_LOG" 2>&1 || die "accounts create failed"
  THNCD_BENCH_TOKEN=$(get_token)
  export THNCD_BENCH_TOKEN
  preflight
  scenarios
  stop_service
  unset THNCD_BENCH_TOKEN
  pg_drop_db

  local pool=${THNCD_DB_POOL_SIZE:-default}
  SUMMARY+=("## $BACKEND" ""
    "Start-up (fresh database: migrations + seed of the units, to first 200 on /healthz): **${STARTUP_MS} ms**"
    ""
    "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (after ${WARMUP}s warm-up), DB pool: $pool"
    ""
    "| endpoint | req/s | vs /healthz | p50 | p99 | peak RSS | service CPU | requests | status |"
    "|---|---:|---:|---:|---:|---:|---:|---:|---|")
  local i base_rps=${S_RPS[0]}
  for i in "${!S_NAME[@]}"; do
    local ratio
    ratio=$(awk -v a="${S_RPS[$i]}" -v b="$base_rps" 'BEGIN { printf "%.2f×", (b > 0 ? a / b : 0) }')
    SUMMARY+=("| ${S_NAME[$i]} | $(printf '%.0f' "${S_RPS[$i]}") | $ratio | ${S_P50[$i]} | ${S_P99[$i]} | $(kib_to_mib "${S_RSS[$i]}") | ${S_CPU[$i]} | ${S_REQS[$i]} | ${S_BAD[$i]} |")
  done
  SUMMARY+=("")
}

cleanup() {
  local rc=$?
  if [[ -n $SAMPLER_PID ]]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
  stop_service
  pg_drop_db
  [[ -n $WORK_TMP ]] && rm -rf "$WORK_TMP"
  exit "$rc"
}

# ---- main ----------------------------------------------------------------------------------
main() {
  trap cleanup EXIT
  trap 'log "FAILED (exit $?) at line $LINENO: $BASH_COMMAND"' ERR
  trap 'exit 130' INT
  trap 'exit 143' TERM
  [[ $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 ]] || die "DURATION must be a positive number of seconds"
  [[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a number of seconds"

  WORK_TMP=$(mktemp -d -t thncd-bench.XXXXXX)
  local stamp=$STAMP
  RESULTS=$OUT
  ln -sfn "$(basename "$OUT")" "$BENCH_DIR/results/latest"
  make_codes_lua

  local rev wrk_version
  wrk_version=$( (wrk --version 2>&1 || true) | head -n 1 | cut -d' ' -f1-2)
  rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [[ -n $(git -C "$ROOT" status --porcelain 2>/dev/null) ]]; then rev="$rev, working tree modified"; fi
  if [[ -n ${THNCD_BIN:-} ]]; then rev="given by THNCD_BIN, not built here; checkout at $rev"; else rev="built from the checkout at $rev"; fi
  SUMMARY+=("# thncd load benchmark, $stamp" ""
    "- binary: $BIN ($rev)"
    "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); wrk runs on the same cores as the service"
    "- $wrk_version"
    "")

  local b
  for b in $BACKENDS; do
    run_backend "$b"
  done

  if (( ${#NOISY[@]} > 0 )); then
    SUMMARY+=("**Warning**: other processes used the CPU before or during these runs (the figures are low and noisy); rerun on a quiet machine:" "")
    local line
    for line in "${NOISY[@]}"; do SUMMARY+=("- $line"); done
    SUMMARY+=("")
  fi
  printf '%s\n' "${SUMMARY[@]}" | tee "$RESULTS/summary.md"
  log "raw wrk outputs and the service logs: $RESULTS"
  if (( INVALID )); then
    banner "SOME RUNS HAD NON-2XX RESPONSES OR SOCKET ERRORS: those figures are INVALID"
    exit 2
  fi
}

main "$@"
