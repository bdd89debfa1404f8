# The set-up every bench script shares: sourced, never run. Before sourcing, a script sets
# NAME (its results folder prefix) and PORT; it gets ROOT, BIN, PW, OUT, the release binary
# (THNCD_BIN, or this checkout's release build), wrk/jq, a trap that stops the service it started, and the helpers
# below.
set -Eeuo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PW=Bench-password-1
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${OUT:-$ROOT/bench/results/$NAME-$STAMP}
mkdir -p "$OUT"
# The binary measured: THNCD_BIN as given, or the release build of this checkout (cargo is a
# no-op when it is current, so a stale binary is never measured by accident).
if [[ -n ${THNCD_BIN:-} ]]; then
  [[ -x $THNCD_BIN ]] || { echo "THNCD_BIN=$THNCD_BIN is not an executable" >&2; exit 1; }
  BIN=$(cd "$(dirname "$THNCD_BIN")" && pwd)/$(basename "$THNCD_BIN")
else
  (cd "$ROOT" && cargo build --release --locked) || { echo "cargo build failed" >&2; exit 1; }
  target=${CARGO_TARGET_DIR:-$ROOT/target}
  [[ $target == /* ]] || target=$ROOT/$target
  BIN=$target/release/thncd
fi
# Debian packages, installed when missing (with sudo unless root).
apt_install() {
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "$@"
}
command -v jq >/dev/null || apt_install jq
command -v curl >/dev/null || apt_install curl
need_wrk() { command -v wrk >/dev/null || apt_install wrk; }

PID=""
cleanup() { [[ -n $PID ]] && kill "$PID" 2>/dev/null || true; }
trap cleanup EXIT

# The date in Vietnam (UTC+7, no daylight saving), the service's "today" for every dated
# step: from 17:00 UTC on, the machine's own date is the day before, and a loan approved
# "today" by that clock would come before its certification.
vn_date() { date -u -d "@$(( $(date +%s) + 7 * 3600 ))" "$@"; }

# machine_ticks: the machine's busy, total and stolen CPU ticks so far (all cores,
# /proc/stat). On a virtual machine the host may run other guests on "our" cores: the stolen
# share of a run is time the service, wrk and PostgreSQL did not get.
machine_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t, $9; exit }' /proc/stat; }
# steal_pct BEFORE AFTER: the stolen share between two machine_ticks readings, in whole percent.
steal_pct() { awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); d = y[2] - x[2]; printf "%.0f\n", (d > 0 ? 100 * (y[3] - x[3]) / d : 0) }'; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# use_database BACKEND DB-NAME DATA-DIR [keep]: points the service at a fresh database (a
# PostgreSQL database DB-NAME, or SQLite in DATA-DIR); with `keep`, at the one already there.
use_database() {
  local backend=$1 db=$2 data=$3 keep=${4:-}
  mkdir -p "$data"
  if [[ $backend == postgres ]]; then
    [[ -n $keep ]] || psql -U postgres -h 127.0.0.1 -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db
  else
    unset DATABASE_URL
  fi
  export THNCD_DATA_DIR=$data RUST_LOG=warn THNCD_BIND=127.0.0.1:$PORT
}

# start_service LOG: starts `thncd serve`, waits for /healthz; sets PID and STARTUP_MS.
start_service() {
  local t0
  t0=$(date +%s%N)
  "$BIN" serve >"$1" 2>&1 &
  PID=$!
  for _ in $(seq 1 1000); do curl -fs "localhost:$PORT/healthz" >/dev/null && break; sleep 0.01; done
  STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
stop_service() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }

# db_count SQL: one number from the service's database (psql, or the sqlite3 shell).
db_count() {
  if [[ -n ${DATABASE_URL:-} ]]; then psql -Atqc "$1" "$DATABASE_URL"
  else command -v sqlite3 >/dev/null || apt_install sqlite3; sqlite3 "$THNCD_DATA_DIR/thncd.sqlite3" "$1"; fi
}

# settle_worker: waits until the worker's first expungement-due job has caught up (on a
# freshly loaded database it writes thousands of notices and events in its first minute,
# which would otherwise be measured as part of the first scenarios).
settle_worker() {
  local prev=-1 n t0=$SECONDS
  for _ in $(seq 1 300); do
    n=$(db_count "SELECT COUNT(*) FROM expungement_due_notices") || n=$prev
    [[ $n == "$prev" ]] && break
    prev=$n; sleep 3
  done
  echo "worker settled: $n expungement-due notices, $((SECONDS - t0)) s" >&2
}

# account USERNAME ROLE UNIT: created once (the CLI, on the service's database).
account() { THNCD_PASSWORD=$PW "$BIN" accounts create --username "$1" --role "$2" --unit "$3" >/dev/null 2>&1 || true; }
tok() { curl -fs -X POST "localhost:$PORT/api/v1/auth/token" -d grant_type=password -d "username=$1" -d "password=$PW" | jq -r .access_token; }
api() { local t=$1; shift; curl -fsS -H "Authorization: Bearer $t" -H 'Content-Type: application/json' "$@"; }
