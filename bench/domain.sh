#!/usr/bin/env bash
# The national benchmark suite (see bench/README.md). For each backend: a fresh database
# filled by `thncd demo-data`, the release service (start-up timed), then wrk:
#   - GET /healthz                                     (64 connections: the HTTP ceiling)
#   - GET /api/v1/persons/{id}, random ids            (64 connections)
#   - person list with filters and `q`                 (16 connections)
#   - POST activity with its audit event               (64 connections)
#   - POST disbursement, 1,000 VND tranches, one loan  (32 connections), then a check that
#     the loan's total equals the accepted posts and never exceeds the approved amount
#   - GET /api/v1/reports/indicators, one year, for the largest commune, its province and
#     VN                                               (2 connections; VN also alone, 1)
# each with its peak RSS; and on PostgreSQL, the database's own ceiling in the same run:
# `pgbench -S` (select-only) on a pgbench database of the same size, 64 clients.
#   PERSONS=200000 DURATION=15 BACKENDS="postgres sqlite" bash bench/domain.sh
#   REUSE=1 ...   reuses the databases loaded by the previous run (no demo-data)
set -Eeuo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PERSONS=${PERSONS:-200000}
DURATION=${DURATION:-15}
BACKENDS=${BACKENDS:-"postgres sqlite"}
BIN=${THNCD_BIN:-$ROOT/target/release/thncd}
PW=Bench-password-1
OUT=${OUT:-$ROOT/bench/results/domain-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
[[ -x $BIN ]] || (cd "$ROOT" && cargo build --release --locked)
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq; }

PID=""
cleanup() { [[ -n $PID ]] && kill "$PID" 2>/dev/null || true; }
trap cleanup EXIT

PGBENCH_TPS=""
wrk_row() { # name file peak-rss-kB
  local rps p50 p99 bad ratio=""
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  p50=$(awk '$1=="50%" {print $2}' "$2")
  p99=$(awk '$1=="99%" {print $2}' "$2")
  bad=$(awk '/Non-2xx/ {print $5}' "$2"); bad=${bad:-0}
  [[ -n $PGBENCH_TPS ]] && ratio=$(awk -v a="$rps" -v b="$PGBENCH_TPS" 'BEGIN { printf "%.0f %%", 100 * a / b }')
  printf '| %s | %s | %s | %s | %s | %s MiB | %s |\n' "$1" "$rps" "$p50" "$p99" "$bad" "$(( $3 / 1024 ))" "$ratio"
}

# pgbench -S on a pgbench database about as large as the service's: the select-only
# ceiling of this PostgreSQL on this machine, for the ratios.
pgbench_ceiling() { # service-db
  local mb scale
  mb=$(psql -U postgres -h 127.0.0.1 -Atc "SELECT pg_database_size('$1') / 1048576")
  scale=$(( mb / 15 > 1 ? mb / 15 : 1 ))  # pgbench's scale 1 is about 15 MB
  psql -U postgres -h 127.0.0.1 -qc "DROP DATABASE IF EXISTS thncd_bench_pgbench" -c "CREATE DATABASE thncd_bench_pgbench" >/dev/null
  pgbench -U postgres -h 127.0.0.1 -i -q -s "$scale" thncd_bench_pgbench >/dev/null 2>&1
  pgbench -U postgres -h 127.0.0.1 -S -c 64 -j 2 -T "$DURATION" thncd_bench_pgbench >"$OUT/pgbench.txt" 2>&1
  PGBENCH_TPS=$(awk '/^tps = / {print $3; exit}' "$OUT/pgbench.txt")
  PGBENCH_LAT=$(awk '/^latency average/ {print $4 " " $5}' "$OUT/pgbench.txt")
  psql -U postgres -h 127.0.0.1 -qc "DROP DATABASE thncd_bench_pgbench" >/dev/null
  # Loading pgbench's tables dirtied gigabytes: write them out now, not during the next runs.
  psql -U postgres -h 127.0.0.1 -qc "CHECKPOINT" >/dev/null; sync
  echo "pgbench -S, scale $scale (service database $mb MB), 64 clients, ${DURATION}s: $PGBENCH_TPS TPS, average latency $PGBENCH_LAT" >&2
}

for backend in $BACKENDS; do
  # REUSE=1 keeps an already loaded database (bench/results/domain-data/ for SQLite).
  data=$ROOT/bench/results/domain-data
  [[ -n ${REUSE:-} ]] || { rm -rf "$data"; }
  mkdir -p "$data"
  if [[ $backend == postgres ]]; then
    [[ -n ${REUSE:-} ]] || psql -U postgres -h 127.0.0.1 -qc "DROP DATABASE IF EXISTS thncd_bench_domain" -c "CREATE DATABASE thncd_bench_domain" >/dev/null
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/thncd_bench_domain
  else
    unset DATABASE_URL
  fi
  export THNCD_DATA_DIR=$data RUST_LOG=warn THNCD_BIND=127.0.0.1:18090
  if [[ -z ${REUSE:-} ]]; then
    echo "== $backend: demo-data --persons $PERSONS" >&2
    "$BIN" demo-data --persons "$PERSONS" --seed 42 | tee "$OUT/$backend-demo.txt" >&2
    # The state autovacuum reaches soon after a bulk load (hint bits set, visibility map
    # filled): without it the first reads of every page also write it.
    if [[ $backend == postgres ]]; then psql -U postgres -h 127.0.0.1 -qc "VACUUM ANALYZE" thncd_bench_domain; fi
  fi
  for u in police commune_committee bank; do
    THNCD_PASSWORD=$PW "$BIN" accounts create --username "bench.$u" --role "$u" --unit VN >/dev/null 2>&1 || true
  done
  PGBENCH_TPS=""
  [[ $backend == postgres ]] && pgbench_ceiling thncd_bench_domain
  t0=$(date +%s%N)
  "$BIN" serve >"$OUT/$backend-service.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 1000); do curl -fs localhost:18090/healthz >/dev/null && break; sleep 0.01; done
  startup_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  tok() { curl -fs -X POST localhost:18090/api/v1/auth/token -d grant_type=password -d "username=bench.$1" -d "password=$PW" | jq -r .access_token; }
  POLICE=$(tok police); COMMITTEE=$(tok commune_committee); BANK=$(tok bank)
  api() { local t=$1; shift; curl -fsS -H "Authorization: Bearer $t" -H 'Content-Type: application/json' "$@"; }

  # Ids of managed persons, from the API itself.
  : >"$OUT/ids.txt"
  for page in 1 2 3 4 5; do
    api "$POLICE" "localhost:18090/api/v1/persons?status=under_management&page_size=200&page=$page&sort=created_at" | jq -r '.items[].id' >>"$OUT/ids.txt"
  done
  # A borrower: completed sentence, under management, on a certified list of this month.
  # Some demo persons already borrow or sit on a sent list: try others until one qualifies.
  month=$(date +%Y-%m); today=$(date +%F); loan=""
  for _ in $(seq 1 30); do
    person=$(api "$POLICE" "localhost:18090/api/v1/persons?status=under_management&release_type=completed_sentence&page_size=1&page=$((RANDOM % 500 + 1))&sort=-received_on" | jq -r '.items[0]')
    pid=$(jq -r .id <<<"$person"); unit=$(jq -r .unit <<<"$person")
    list=$(api "$POLICE" localhost:18090/api/v1/loan-eligibility-lists -d "{\"unit\":\"$unit\",\"month\":\"$month\",\"entries\":[{\"person_id\":\"$pid\",\"purpose\":\"production_business\",\"amount_wished_vnd\":100000000}]}" 2>/dev/null | jq -r .id) || continue
    api "$COMMITTEE" "localhost:18090/api/v1/loan-eligibility-lists/$list/certify" -d "{\"decision_number\":\"1/QĐ\",\"certified_on\":\"$today\"}" >/dev/null 2>&1 || continue
    loan=$(api "$POLICE" localhost:18090/api/v1/loans -d "{\"borrower_kind\":\"person\",\"person_id\":\"$pid\",\"household_rep_name\":\"Đại diện\",\"purpose\":\"production_business\",\"amount_vnd\":100000000,\"term_months\":60,\"application_date\":\"$today\"}" 2>/dev/null | jq -r .id) || { loan=""; continue; }
    { api "$POLICE" "localhost:18090/api/v1/loans/$loan/submit" -X POST >/dev/null 2>&1 \
      && api "$COMMITTEE" "localhost:18090/api/v1/loans/$loan/certify" -X POST >/dev/null 2>&1 \
      && api "$BANK" "localhost:18090/api/v1/loans/$loan/approve" -d "{\"approved_amount_vnd\":100000000,\"approved_on\":\"$today\"}" >/dev/null 2>&1; } || { loan=""; continue; }
    break
  done
  [[ -n $loan ]] || { echo "no borrower could be set up" >&2; exit 1; }
  echo "$loan" >"$OUT/loan.txt"

  # The largest commune by persons under management, and its province.
  commune=$(api "$POLICE" "localhost:18090/api/v1/persons?status=under_management&page_size=200" | jq -r '.items[].unit' | sort | uniq -c | sort -rn | head -1 | awk '{print $2}')
  province=$(api "$POLICE" "localhost:18090/api/v1/admin-units/$commune" | jq -r .parent_code)
  year_ago=$(date -d '-1 year +1 day' +%F)

  run() { # name connections token script args...
    local name=$1 c=$2 t=$3 s=$4; shift 4
    local threads=$(( c < 2 ? c : 2 ))
    THNCD_BENCH_TOKEN=$t wrk -t$threads -c"$c" -d2s -s "$ROOT/bench/wrk/$s" http://127.0.0.1:18090 -- "$@" >/dev/null 2>&1 || true
    echo 5 >"/proc/$PID/clear_refs" 2>/dev/null || true  # peak RSS of this run only
    local file=$OUT/$backend-${name//\//_}.txt
    THNCD_BENCH_TOKEN=$t wrk -t$threads -c"$c" -d"${DURATION}s" --timeout 60s --latency -s "$ROOT/bench/wrk/$s" http://127.0.0.1:18090 -- "$@" >"$file"
    wrk_row "$name (c=$c)" "$file" "$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")"
  }
  {
    echo; echo "### $backend — $PERSONS persons"; echo
    echo "Start-up on the loaded database (migrations checked, first 200 on /healthz): $startup_ms ms"
    [[ -n $PGBENCH_TPS ]] && echo "PostgreSQL ceiling, \`pgbench -S\` on the same data size, 64 clients: **$PGBENCH_TPS TPS** (average latency $PGBENCH_LAT)"
    echo
    echo '| scenario | req/s | p50 | p99 | non-2xx | peak RSS | vs pgbench -S |'; echo '|---|---:|---:|---:|---:|---:|---:|'
    run "GET /healthz" 64 "$POLICE" healthz.lua
    run "GET person by id" 64 "$POLICE" get_ids.lua "$OUT/ids.txt" "/api/v1/persons/{id}"
    run "list: province + status + q" 16 "$POLICE" get_paths.lua \
      "/api/v1/persons?unit=01&status=under_management&q=nguyen%20van&page_size=50" \
      "/api/v1/persons?unit=79&offence_group=drugs&q=tran&page_size=50" \
      "/api/v1/persons?status=under_management&classification=d&q=hung&page_size=50" \
      "/api/v1/persons?q=le%20thi&received_from=2024-01-01&page_size=50"
    run "POST activity" 64 "$POLICE" post_json.lua "$OUT/ids.txt" "/api/v1/persons/{id}/activities" \
      "{\"kind\":\"home_visit\",\"occurred_on\":\"$today\",\"notes\":\"bench {n}\"}"
    echo "$loan" >"$OUT/loan-id.txt"
    run "POST disbursement" 32 "$BANK" post_json.lua "$OUT/loan-id.txt" "/api/v1/loans/{id}/disbursements" \
      "{\"amount_vnd\":1000,\"value_date\":\"$today\",\"bank_reference\":\"B-{n}\"}"
    for unit in "$commune" "$province" VN; do
      run "indicators $unit, 1 year" 2 "$POLICE" get_paths.lua "/api/v1/reports/indicators?unit=$unit&from=$year_ago&to=$today"
    done
    # One national report at a time: its own response time, without a second one sharing the cores.
    run "indicators VN, 1 year, alone" 1 "$POLICE" get_paths.lua "/api/v1/reports/indicators?unit=VN&from=$year_ago&to=$today"
    accepted=$(awk '/requests in/ {print $1}' "$OUT/$backend-POST disbursement.txt")
    rejected=$(awk '/Non-2xx/ {print $5}' "$OUT/$backend-POST disbursement.txt"); rejected=${rejected:-0}
    sleep 2  # requests wrk abandoned at the deadline may still be finishing
    # Slow requests (national indicators) may still hold the pool: retry the read a while.
    final=""
    for _ in $(seq 1 60); do final=$(api "$BANK" "localhost:18090/api/v1/loans/$loan" 2>/dev/null) && break; sleep 1; done
    total=$(jq '.disbursed_total_vnd' <<<"$final")
    posts=$(jq '[.postings[] | select(.kind == "disbursement")] | length' <<<"$final")
    echo
    echo "Disbursement check: $posts postings of 1,000 VND, loan total $total VND (approved 100,000,000); the measured wrk run sent $((accepted + 0)) requests, $rejected of them non-2xx (postings also include the 2 s warm-up)."
    [[ $total -eq $((posts * 1000)) && $total -le 100000000 ]] && echo "Disbursement totals consistent: yes" || echo "Disbursement totals consistent: NO"
    echo "Peak RSS since the last reset: $(awk '/VmHWM/ {print $2/1024 " MiB"}' /proc/$PID/status)"
  } | tee -a "$OUT/summary.md"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
done
echo "results: $OUT" >&2
