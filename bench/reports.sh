#!/usr/bin/env bash
# Report benchmarks on a national-scale population: for each backend, a fresh database filled
# by `thncd demo-data` (persons, ~10 activities each, loans, models, outreach…), the release
# service, then sequential timed requests (median of RUNS):
#   - GET /api/v1/reports/indicators for VN, the largest province and its largest commune,
#     over one year and over five years;
#   - the XLSX export of a province report with a sheet per commune (every commune of the
#     province submits its own report first, through the API).
#   PERSONS=200000 RUNS=5 BACKENDS="postgres sqlite" bash bench/reports.sh
#   REUSE=1 ...   uses the databases bench/domain.sh loaded instead of loading new ones
NAME=reports PORT=18091
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PERSONS=${PERSONS:-200000}
RUNS=${RUNS:-5}
BACKENDS=${BACKENDS:-"postgres sqlite"}


timed() { # token url -> median seconds over RUNS (one warm-up)
  local t=$1 url=$2
  curl -fsS -o /dev/null -H "Authorization: Bearer $t" "$url"
  for _ in $(seq 1 "$RUNS"); do
    curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $t" "$url"
  done | median
}

for backend in $BACKENDS; do
  if [[ -n ${REUSE:-} ]]; then
    data=$ROOT/bench/results/domain-data db=thncd_bench_domain
  else
    data=$(mktemp -d) db=thncd_bench_reports
  fi
  if [[ $backend == postgres ]]; then
    [[ -n ${REUSE:-} ]] || psql -U postgres -h 127.0.0.1 -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$db
  else
    unset DATABASE_URL
  fi
  # Every commune's clerk logs in from this one address: lift the per-address token limit.
  export THNCD_DATA_DIR=$data RUST_LOG=warn THNCD_BIND=127.0.0.1:$PORT THNCD_TOKEN_RATE_PER_MINUTE=100000
  if [[ -n ${REUSE:-} ]]; then
    echo "the data set bench/domain.sh loaded (seed 42), reused" >"$OUT/$backend-demo.txt"
  else
    echo "== $backend: demo-data --persons $PERSONS" >&2
    "$BIN" demo-data --persons "$PERSONS" --seed 42 | tee "$OUT/$backend-demo.txt" >&2
  fi
  THNCD_PASSWORD=$PW "$BIN" accounts create --username bench.vn --role police --unit VN >/dev/null 2>&1 || true
  "$BIN" serve >"$OUT/$backend-service.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do curl -fs "localhost:$PORT/healthz" >/dev/null && break; sleep 0.1; done
  tok() { curl -fs -X POST "localhost:$PORT/api/v1/auth/token" -d grant_type=password -d "username=$1" -d "password=$PW" | jq -r .access_token; }
  VN=$(tok bench.vn)
  api() { local t=$1; shift; curl -fsS -H "Authorization: Bearer $t" -H 'Content-Type: application/json' "$@"; }
  today=$(vn_date +%F); year_ago=$(date -d "$today -1 year +1 day" +%F); five=$(date -d "$today -5 years +1 day" +%F)
  # The largest province and commune by persons under management.
  prov=$(for p in $(api "$VN" "localhost:$PORT/api/v1/admin-units?level=province&page_size=50" | jq -r '.items[].code'); do
    echo "$(api "$VN" "localhost:$PORT/api/v1/persons?unit=$p&status=under_management&page_size=1" | jq .total) $p"; done | sort -rn | head -1 | cut -d' ' -f2)
  commune=$(api "$VN" "localhost:$PORT/api/v1/persons?unit=$prov&status=under_management&page_size=200" | jq -r '.items[].unit' | sort | uniq -c | sort -rn | head -1 | awk '{print $2}')
  {
    echo "### $backend ($(head -1 "$OUT/$backend-demo.txt"))"
    echo
    echo "| request | median of $RUNS |"
    echo "|---|---:|"
    for unit in VN "$prov" "$commune"; do
      for from in "$year_ago" "$five"; do
        s=$(timed "$VN" "localhost:$PORT/api/v1/reports/indicators?unit=$unit&from=$from&to=$today")
        echo "| indicators $unit, $from..$today | ${s} s |"
      done
    done
  } | tee -a "$OUT/summary.md"

  # Every commune of the province reports; then the province's report and its XLSX.
  communes=$(api "$VN" "localhost:$PORT/api/v1/admin-units?parent=$prov&page_size=200" | jq -r '.items[].code')
  n=0
  for c in $communes; do
    THNCD_PASSWORD=$PW "$BIN" accounts create --username "bench.$c" --role commune_committee --unit "$c" >/dev/null 2>&1 || true
    t=$(tok "bench.$c")
    # On a reused database the commune may have reported already (409): its report stands.
    id=$(api "$t" "localhost:$PORT/api/v1/reports" -d "{\"period_kind\":\"annual\",\"period_from\":\"$year_ago\",\"period_to\":\"$today\"}" 2>/dev/null | jq -r .id) || id=""
    [[ -z $id ]] || api "$t" -X POST "localhost:$PORT/api/v1/reports/$id/submit" >/dev/null
    n=$((n + 1))
  done
  THNCD_PASSWORD=$PW "$BIN" accounts create --username "bench.p$prov" --role police --unit "$prov" >/dev/null 2>&1 || true
  PT=$(tok "bench.p$prov")
  start=$(date +%s.%N)
  rid=$(api "$PT" "localhost:$PORT/api/v1/reports" -d "{\"period_kind\":\"annual\",\"period_from\":\"$year_ago\",\"period_to\":\"$today\"}" 2>/dev/null | jq -r .id) || rid=""
  created=$(echo "$(date +%s.%N) - $start" | bc)
  if [[ -z $rid ]]; then  # a reused database: the province's report of an earlier run
    rid=$(api "$PT" "localhost:$PORT/api/v1/reports?unit=$prov&period_kind=annual&page_size=200" \
      | jq -r --arg p "$prov" '[.items[] | select(.unit == $p)][0].id')
    created="(existing)"
  fi
  xlsx=$(timed "$PT" "localhost:$PORT/api/v1/reports/$rid/export?format=xlsx")
  size=$(curl -fsS -H "Authorization: Bearer $PT" "localhost:$PORT/api/v1/reports/$rid/export?format=xlsx" | wc -c)
  cons=$(timed "$PT" "localhost:$PORT/api/v1/reports/$rid/consolidated")
  {
    echo "| create province $prov report (freezes its indicators) | ${created} s |"
    echo "| XLSX export, $n commune sheets + province, $size bytes | ${xlsx} s |"
    echo "| consolidated view ($n communes: submitted vs live, recomputed) | ${cons} s |"
    echo
  } | tee -a "$OUT/summary.md"
  echo "peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$PID/status)" | tee -a "$OUT/summary.md"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  [[ -n ${REUSE:-} ]] || rm -rf "$data"
done
echo "results in $OUT" >&2
