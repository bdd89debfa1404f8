#!/usr/bin/env bash
# Domain benchmarks on a national-scale population (issues: persons list, activity writes,
# bank disbursements). For each backend: a fresh database filled by `thncd demo-data`,
# the release service, then wrk:
#   - GET /api/v1/persons/{id}, random ids            (64 connections)
#   - person list with filters and `q`                 (16 connections)
#   - POST activity with its audit event               (32 connections)
#   - POST disbursement, 1,000 VND tranches, one loan  (32 connections), then a check that
#     the loan's total equals the accepted posts and never exceeds the approved amount.
#   PERSONS=200000 DURATION=15 BACKENDS="postgres sqlite" bash bench/domain.sh
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

wrk_row() { # name file
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  p50=$(awk '$1=="50%" {print $2}' "$2")
  p99=$(awk '$1=="99%" {print $2}' "$2")
  bad=$(awk '/Non-2xx/ {print $5}' "$2"); bad=${bad:-0}
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "$bad"
}

for backend in $BACKENDS; do
  data=$(mktemp -d)
  if [[ $backend == postgres ]]; then
    psql -U postgres -h 127.0.0.1 -qc "DROP DATABASE IF EXISTS thncd_bench_domain" -c "CREATE DATABASE thncd_bench_domain" >/dev/null
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/thncd_bench_domain
  else
    unset DATABASE_URL
  fi
  export THNCD_DATA_DIR=$data RUST_LOG=warn THNCD_BIND=127.0.0.1:18090
  echo "== $backend: demo-data --persons $PERSONS" >&2
  "$BIN" demo-data --persons "$PERSONS" --seed 42 | tee "$OUT/$backend-demo.txt" >&2
  for u in police commune_committee bank; do
    THNCD_PASSWORD=$PW "$BIN" accounts create --username "bench.$u" --role "$u" --unit VN >/dev/null
  done
  "$BIN" serve >"$OUT/$backend-service.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do curl -fs localhost:18090/healthz >/dev/null && break; sleep 0.1; done
  tok() { curl -fs -X POST localhost:18090/api/v1/auth/token -d grant_type=password -d "username=bench.$1" -d "password=$PW" | jq -r .access_token; }
  POLICE=$(tok police); COMMITTEE=$(tok commune_committee); BANK=$(tok bank)
  api() { local t=$1; shift; curl -fsS -H "Authorization: Bearer $t" -H 'Content-Type: application/json' "$@"; }

  # Ids of managed persons, from the API itself.
  : >"$OUT/ids.txt"
  for page in 1 2 3 4 5; do
    api "$POLICE" "localhost:18090/api/v1/persons?status=under_management&page_size=200&page=$page&sort=created_at" | jq -r '.items[].id' >>"$OUT/ids.txt"
  done
  # A borrower: completed sentence, under management, on a certified list of this month.
  person=$(api "$POLICE" "localhost:18090/api/v1/persons?status=under_management&release_type=completed_sentence&page_size=1&sort=-received_on" | jq -r '.items[0]')
  pid=$(jq -r .id <<<"$person"); unit=$(jq -r .unit <<<"$person"); month=$(date +%Y-%m); today=$(date +%F)
  list=$(api "$POLICE" localhost:18090/api/v1/loan-eligibility-lists -d "{\"unit\":\"$unit\",\"month\":\"$month\",\"entries\":[{\"person_id\":\"$pid\",\"purpose\":\"production_business\",\"amount_wished_vnd\":100000000}]}" | jq -r .id)
  api "$COMMITTEE" "localhost:18090/api/v1/loan-eligibility-lists/$list/certify" -d "{\"decision_number\":\"1/QĐ\",\"certified_on\":\"$today\"}" >/dev/null
  loan=$(api "$POLICE" localhost:18090/api/v1/loans -d "{\"borrower_kind\":\"person\",\"person_id\":\"$pid\",\"household_rep_name\":\"Đại diện\",\"purpose\":\"production_business\",\"amount_vnd\":100000000,\"term_months\":60,\"application_date\":\"$today\"}" | jq -r .id)
  api "$POLICE" "localhost:18090/api/v1/loans/$loan/submit" -X POST >/dev/null
  api "$COMMITTEE" "localhost:18090/api/v1/loans/$loan/certify" -X POST >/dev/null
  api "$BANK" "localhost:18090/api/v1/loans/$loan/approve" -d "{\"approved_amount_vnd\":100000000,\"approved_on\":\"$today\"}" >/dev/null
  echo "$loan" >"$OUT/loan.txt"

  run() { # name connections token script args...
    local name=$1 c=$2 t=$3 s=$4; shift 4
    THNCD_BENCH_TOKEN=$t wrk -t2 -c"$c" -d2s -s "$ROOT/bench/wrk/$s" http://127.0.0.1:18090 -- "$@" >/dev/null 2>&1 || true
    THNCD_BENCH_TOKEN=$t wrk -t2 -c"$c" -d"${DURATION}s" --latency -s "$ROOT/bench/wrk/$s" http://127.0.0.1:18090 -- "$@" >"$OUT/$backend-$name.txt"
    wrk_row "$name (c=$c)" "$OUT/$backend-$name.txt"
  }
  {
    echo; echo "### $backend — $PERSONS persons"; echo
    echo '| scenario | req/s | p50 | p99 | non-2xx |'; echo '|---|---:|---:|---:|---:|'
    run "GET person by id" 64 "$POLICE" get_ids.lua "$OUT/ids.txt" "/api/v1/persons/{id}"
    run "list: province + status + q" 16 "$POLICE" get_paths.lua \
      "/api/v1/persons?unit=01&status=under_management&q=nguyen%20van&page_size=50" \
      "/api/v1/persons?unit=79&offence_group=drugs&q=tran&page_size=50" \
      "/api/v1/persons?status=under_management&classification=d&q=hung&page_size=50" \
      "/api/v1/persons?q=le%20thi&received_from=2024-01-01&page_size=50"
    run "POST activity" 32 "$POLICE" post_json.lua "$OUT/ids.txt" "/api/v1/persons/{id}/activities" \
      "{\"kind\":\"home_visit\",\"occurred_on\":\"$today\",\"notes\":\"bench {n}\"}"
    echo "$loan" >"$OUT/loan-id.txt"
    run "POST disbursement" 32 "$BANK" post_json.lua "$OUT/loan-id.txt" "/api/v1/loans/{id}/disbursements" \
      "{\"amount_vnd\":1000,\"value_date\":\"$today\",\"bank_reference\":\"B-{n}\"}"
    accepted=$(awk '/requests in/ {print $1}' "$OUT/$backend-POST disbursement.txt")
    rejected=$(awk '/Non-2xx/ {print $5}' "$OUT/$backend-POST disbursement.txt"); rejected=${rejected:-0}
    sleep 2  # requests wrk abandoned at the deadline may still be finishing
    final=$(api "$BANK" "localhost:18090/api/v1/loans/$loan")
    total=$(jq '.disbursed_total_vnd' <<<"$final")
    posts=$(jq '[.postings[] | select(.kind == "disbursement")] | length' <<<"$final")
    echo
    echo "Disbursement check: $posts postings of 1,000 VND, loan total $total VND (approved 100,000,000); the measured wrk run sent $((accepted + 0)) requests, $rejected of them non-2xx (postings also include the 2 s warm-up)."
    [[ $total -eq $((posts * 1000)) && $total -le 100000000 ]] && echo "Disbursement totals consistent: yes" || echo "Disbursement totals consistent: NO"
    echo "Peak RSS: $(awk '/VmHWM/ {print $2/1024 " MiB"}' /proc/$PID/status)"
  } | tee -a "$OUT/summary.md"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
done
echo "results: $OUT" >&2
