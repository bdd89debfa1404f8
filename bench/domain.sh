#!/usr/bin/env bash
# The national suite (see bench/README.md). For each backend: a fresh database filled by
# `thncd demo-data`, the release service (start-up timed), then wrk, every scenario three
# times: with a commune police token, a province police token (the province of that commune)
# and a VN police token, each on its own unit's data:
#   - GET /api/v1/persons/{id}, random ids of the unit           (64 connections; the
#     median of 3 back-to-back runs, with its ratio to `pgbench -S`)
#   - search, 50 a page, with the unit and status=under_management (16 connections):
#     a common word (`nguyen`), a rare one (`ly`), two words (`tran van`), an ID-number prefix
#   - POST activity with its audit event, ids of the unit        (64 connections)
#   - GET /api/v1/reports/indicators of the unit, one year        (2 connections)
#   - GET /api/v1/loans of the unit, 50 a page, with their postings (16 connections)
# then, VN only: POST disbursement, 1,000 VND tranches on one loan (32 connections) and a
# check that the loan's total equals the accepted posts; the national indicators alone.
# On PostgreSQL, the database's own ceiling in the same run: `pgbench -S` (select-only) on
# a pgbench database of the same size, 64 clients.
#   PERSONS=200000 DURATION=15 BACKENDS="postgres sqlite" bash bench/domain.sh
#   REUSE=1 ...   reuses the databases loaded by the previous run (no demo-data)
NAME=domain PORT=18090
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PERSONS=${PERSONS:-200000}
DURATION=${DURATION:-15}
BACKENDS=${BACKENDS:-"postgres sqlite"}
need_wrk

PGBENCH_TPS=""
# cell FILE: "req/s (p50 / p99)" of one wrk run, with the non-2xx count when there are any.
cell() {
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$1")
  p50=$(awk '$1=="50%" {print $2}' "$1")
  p99=$(awk '$1=="99%" {print $2}' "$1")
  bad=$(awk '/Non-2xx/ {print $5}' "$1")
  printf '%s/s (%s / %s)%s%s' "$rps" "$p50" "$p99" "${bad:+, $bad non-2xx}" "$(stolen "$1")"
}
# stolen FILE...: ", N % stolen" when the host took STEAL_WARN % or more of the CPU during
# the largest of these runs (wrk_run records it beside each output).
STEAL_WARN=${STEAL_WARN:-5}
stolen() {
  local most
  most=$(cat "${@/%/.steal}" 2>/dev/null | sort -n | tail -n 1) || true
  (( ${most:-0} >= STEAL_WARN )) && printf ', %s %% stolen' "$most"
  return 0
}

# pgbench -S on a pgbench database about as large as the service's: the select-only
# ceiling of this PostgreSQL on this machine, for the ratios.
pgbench_ceiling() { # service-db
  local mb scale
  mb=$(psql -U postgres -h 127.0.0.1 -Atc "SELECT pg_database_size('$1') / 1048576")
  scale=$(( mb / 15 > 1 ? mb / 15 : 1 ))  # pgbench's scale 1 is about 15 MB
  psql -U postgres -h 127.0.0.1 -qc "DROP DATABASE IF EXISTS thncd_bench_pgbench" -c "CREATE DATABASE thncd_bench_pgbench" >/dev/null
  pgbench -U postgres -h 127.0.0.1 -i -q -s "$scale" thncd_bench_pgbench >/dev/null 2>&1
  local before; before=$(machine_ticks)
  pgbench -U postgres -h 127.0.0.1 -S -c 64 -j 2 -T "$DURATION" thncd_bench_pgbench >"$OUT/pgbench.txt" 2>&1
  PGBENCH_STEAL=$(steal_pct "$before" "$(machine_ticks)")
  PGBENCH_TPS=$(awk '/^tps = / {printf "%.0f", $3; exit}' "$OUT/pgbench.txt")
  PGBENCH_LAT=$(awk '/^latency average/ {print $4 " " $5}' "$OUT/pgbench.txt")
  psql -U postgres -h 127.0.0.1 -qc "DROP DATABASE thncd_bench_pgbench" >/dev/null
  # Loading pgbench's tables dirtied gigabytes: write them out now, not during the next runs.
  psql -U postgres -h 127.0.0.1 -qc "CHECKPOINT" >/dev/null; sync
  echo "pgbench -S, scale $scale (service database $mb MB), 64 clients, ${DURATION}s: $PGBENCH_TPS TPS, average latency $PGBENCH_LAT" >&2
}

for backend in $BACKENDS; do
  # REUSE=1 keeps an already loaded database (bench/results/domain-data/ for SQLite).
  data=$ROOT/bench/results/domain-data
  [[ -n ${REUSE:-} ]] || rm -rf "$data"
  use_database "$backend" thncd_bench_domain "$data" "${REUSE:-}"
  if [[ -z ${REUSE:-} ]]; then
    echo "== $backend: demo-data --persons $PERSONS" >&2
    "$BIN" demo-data --persons "$PERSONS" --seed 42 | tee "$OUT/$backend-demo.txt" >&2
  fi
  # The state autovacuum keeps a database in: hint bits set and the visibility map filled
  # after the bulk load, and, on a reused database, after the previous runs' writes (each
  # activity run updates thousands of persons' rows, and a unit's search walks its
  # name-order index as an index-only scan). A PostgreSQL run with `autovacuum = off`, as
  # on some CI hosts, would otherwise measure the last runs' dead rows as well.
  if [[ $backend == postgres ]]; then
    echo "PostgreSQL autovacuum: $(psql -U postgres -h 127.0.0.1 -Atc 'SHOW autovacuum' thncd_bench_domain)" >&2
    psql -U postgres -h 127.0.0.1 -qc "VACUUM ANALYZE" thncd_bench_domain
  fi
  for u in police commune_committee bank; do account "bench.$u" "$u" VN; done
  PGBENCH_TPS=""
  [[ $backend == postgres ]] && pgbench_ceiling thncd_bench_domain
  start_service "$OUT/$backend-service.log"
  settle_worker
  POLICE=$(tok bench.police); COMMITTEE=$(tok bench.commune_committee); BANK=$(tok bench.bank)

  # The largest commune by persons under management, and its province; a police account
  # in each.
  commune=$(api "$POLICE" "localhost:$PORT/api/v1/persons?status=under_management&page_size=200" | jq -r '.items[].unit' | sort | uniq -c | sort -rn | head -1 | awk '{print $2}')
  province=$(api "$POLICE" "localhost:$PORT/api/v1/admin-units/$commune" | jq -r .parent_code)
  account "bench.police.$commune" police "$commune"; account "bench.police.$province" police "$province"
  declare -A TOKEN=([commune]=$(tok "bench.police.$commune") [province]=$(tok "bench.police.$province") [VN]=$POLICE)
  declare -A UNIT=([commune]=$commune [province]=$province [VN]=VN)
  # Ids of managed persons of each unit, from the API itself.
  for scope in commune province VN; do
    : >"$OUT/ids-$scope.txt"
    for page in 1 2 3 4 5; do
      api "${TOKEN[$scope]}" "localhost:$PORT/api/v1/persons?unit=${UNIT[$scope]}&status=under_management&page_size=200&page=$page&sort=created_at" | jq -r '.items[].id' >>"$OUT/ids-$scope.txt"
    done
  done
  # An ID-number prefix that occurs in the province: the first 6 digits of one of its persons.
  idp=$(api "$POLICE" "localhost:$PORT/api/v1/persons/$(head -1 "$OUT/ids-province.txt")" | jq -r .id_number | cut -c1-6)

  # A borrower: completed sentence, under management, on a certified list of this month.
  month=$(vn_date +%Y-%m); today=$(vn_date +%F); loan=""
  for _ in $(seq 1 30); do
    person=$(api "$POLICE" "localhost:$PORT/api/v1/persons?status=under_management&release_type=completed_sentence&page_size=1&page=$((RANDOM % 500 + 1))&sort=-received_on" | jq -r '.items[0]')
    pid=$(jq -r .id <<<"$person"); unit=$(jq -r .unit <<<"$person")
    list=$(api "$POLICE" "localhost:$PORT/api/v1/loan-eligibility-lists" -d "{\"unit\":\"$unit\",\"month\":\"$month\",\"entries\":[{\"person_id\":\"$pid\",\"purpose\":\"production_business\",\"amount_wished_vnd\":100000000}]}" 2>/dev/null | jq -r .id) || continue
    api "$COMMITTEE" "localhost:$PORT/api/v1/loan-eligibility-lists/$list/certify" -d "{\"decision_number\":\"1/QĐ\",\"certified_on\":\"$today\"}" >/dev/null 2>&1 || continue
    loan=$(api "$POLICE" "localhost:$PORT/api/v1/loans" -d "{\"borrower_kind\":\"person\",\"person_id\":\"$pid\",\"household_rep_name\":\"Đại diện\",\"purpose\":\"production_business\",\"amount_vnd\":100000000,\"term_months\":60,\"application_date\":\"$today\"}" 2>/dev/null | jq -r .id) || { loan=""; continue; }
    { api "$POLICE" "localhost:$PORT/api/v1/loans/$loan/submit" -X POST >/dev/null 2>&1 \
      && api "$COMMITTEE" "localhost:$PORT/api/v1/loans/$loan/certify" -X POST >/dev/null 2>&1 \
      && api "$BANK" "localhost:$PORT/api/v1/loans/$loan/approve" -d "{\"approved_amount_vnd\":100000000,\"approved_on\":\"$today\"}" >/dev/null 2>&1; } || { loan=""; continue; }
    break
  done
  [[ -n $loan ]] || { echo "no borrower could be set up" >&2; exit 1; }
  echo "$loan" >"$OUT/loan-id.txt"
  year_ago=$(date -d "$today -1 year +1 day" +%F)

  wrk_run() { # file connections token script args...  (2 s warm-up, then DURATION)
    local file=$1 c=$2 t=$3 s=$4; shift 4
    local threads=$(( c < 2 ? c : 2 ))
    THNCD_BENCH_TOKEN=$t wrk -t$threads -c"$c" -d2s -s "$ROOT/bench/wrk/$s" "http://127.0.0.1:$PORT" -- "$@" >/dev/null 2>&1 || true
    local before; before=$(machine_ticks)
    THNCD_BENCH_TOKEN=$t wrk -t$threads -c"$c" -d"${DURATION}s" --timeout 60s --latency -s "$ROOT/bench/wrk/$s" "http://127.0.0.1:$PORT" -- "$@" >"$file"
    steal_pct "$before" "$(machine_ticks)" >"$file.steal"
  }
  row() { # label target name connections script args-with-@UNIT@...
    local label=$1 target=$2 name=$3 c=$4 s=$5; shift 5
    local line="| $label (c=$c) |"
    for scope in commune province VN; do
      local args=() a
      for a in "$@"; do a=${a//@UNIT@/${UNIT[$scope]}}; a=${a//@IDS@/$OUT/ids-$scope.txt}; args+=("$a"); done
      local file="$OUT/$backend-$name-$scope.txt"
      wrk_run "$file" "$c" "${TOKEN[$scope]}" "$s" "${args[@]}"
      line+=" $(cell "$file") |"
    done
    echo "$line $target |"
  }
  by_id_row() { # three back-to-back runs per token: the median, and its ratio to pgbench -S
    local line="| GET /persons/{id} (c=64), median of 3 |" scope i
    for scope in commune province VN; do
      for i in 1 2 3; do
        wrk_run "$OUT/$backend-by-id-$scope-$i.txt" 64 "${TOKEN[$scope]}" get_ids.lua "$OUT/ids-$scope.txt" "/api/v1/persons/{id}"
      done
      local med; med=$(for i in 1 2 3; do awk '/Requests\/sec/ {print $2}' "$OUT/$backend-by-id-$scope-$i.txt"; done | median)
      local ratio=""
      [[ -n $PGBENCH_TPS ]] && ratio=$(awk -v a="$med" -v b="$PGBENCH_TPS" 'BEGIN { printf ", %.0f %% of pgbench -S", 100 * a / b }')
      line+=" $(printf '%.0f' "$med")/s$ratio$(stolen "$OUT/$backend-by-id-$scope-"{1,2,3}.txt) |"
    done
    echo "$line ≥ 50 % of pgbench -S |"
  }
  search() { echo "/api/v1/persons?unit=@UNIT@&status=under_management&q=$1&page_size=50"; }
  {
    echo; echo "### $backend — $PERSONS persons, ${DURATION} s a run"; echo
    echo "Start-up on the loaded database (migrations checked, first 200 on /healthz): $STARTUP_MS ms"
    [[ -n $PGBENCH_TPS ]] && echo "PostgreSQL ceiling, \`pgbench -S\` on the same data size, 64 clients: **$PGBENCH_TPS TPS** (average latency $PGBENCH_LAT, $PGBENCH_STEAL % stolen)"
    echo "Tokens: police of commune $commune, of its province $province, of VN. Cells: req/s (p50 / p99); a run during which the host took $STEAL_WARN % or more of the CPU (steal, /proc/stat) says so."
    echo
    echo '| scenario | commune token | province token | VN token | target |'; echo '|---|---|---|---|---|'
    by_id_row
    row "search \`nguyen\`" "p99 < 50 ms (PG), < 100 ms (SQLite)" q-common 16 get_paths.lua "$(search nguyen)"
    row "search \`ly\` (rare)" "same" q-rare 16 get_paths.lua "$(search ly)"
    row "search \`tran van\`" "same" q-two 16 get_paths.lua "$(search tran%20van)"
    row "search ID prefix \`$idp\`" "same" q-id 16 get_paths.lua "$(search "$idp")"
    row "POST activity + audit" "≥ 2,000/s, p99 < 100 ms" activity 64 post_json.lua "@IDS@" "/api/v1/persons/{id}/activities" \
      "{\"kind\":\"home_visit\",\"occurred_on\":\"$today\",\"notes\":\"bench {n}\"}"
    row "GET /loans, 50 a page" "" loans 16 get_paths.lua "/api/v1/loans?unit=@UNIT@&page_size=50"
    row "indicators of the unit, 1 year" "" indicators 2 get_paths.lua "/api/v1/reports/indicators?unit=@UNIT@&from=$year_ago&to=$today"
    wrk_run "$OUT/$backend-disbursement.txt" 32 "$BANK" post_json.lua "$OUT/loan-id.txt" "/api/v1/loans/{id}/disbursements" \
      "{\"amount_vnd\":1000,\"value_date\":\"$today\",\"bank_reference\":\"B-{n}\"}"
    echo "| POST disbursement (c=32), bank VN token | | | $(cell "$OUT/$backend-disbursement.txt") | |"
    wrk_run "$OUT/$backend-indicators-alone.txt" 1 "$POLICE" get_paths.lua "/api/v1/reports/indicators?unit=VN&from=$year_ago&to=$today"
    echo "| indicators VN, 1 year, alone (c=1) | | | $(cell "$OUT/$backend-indicators-alone.txt") | |"
    accepted=$(awk '/requests in/ {print $1}' "$OUT/$backend-disbursement.txt")
    rejected=$(awk '/Non-2xx/ {print $5}' "$OUT/$backend-disbursement.txt"); rejected=${rejected:-0}
    sleep 2  # requests wrk abandoned at the deadline may still be finishing
    final=""
    for _ in $(seq 1 60); do final=$(api "$BANK" "localhost:$PORT/api/v1/loans/$loan" 2>/dev/null) && break; sleep 1; done
    total=$(jq '.disbursed_total_vnd' <<<"$final")
    posts=$(jq '[.postings[] | select(.kind == "disbursement")] | length' <<<"$final")
    echo
    echo "Disbursement check: $posts postings of 1,000 VND, loan total $total VND (approved 100,000,000); the measured wrk run sent $((accepted + 0)) requests, $rejected of them non-2xx (postings also include the 2 s warm-up)."
    [[ $total -eq $((posts * 1000)) && $total -le 100000000 ]] && echo "Disbursement totals consistent: yes" || echo "Disbursement totals consistent: NO"
    echo "Peak RSS of the service: $(awk '/VmHWM/ {print $2/1024 " MiB"}' /proc/$PID/status)"
  } | tee -a "$OUT/summary.md"
  stop_service
done
echo "results: $OUT" >&2
