#!/usr/bin/env bash
# Import throughput: a generated CSV of ROWS persons (Vietnamese headers, dd/mm/yyyy dates,
# a judgment, reception and management start per row, spread over the communes of Hà Nội)
# posted to POST /api/v1/imports, first as a dry run, then for real, on each backend with a
# fresh database and the release service. Prints rows/s (median of RUNS real imports, each
# into a fresh database so every run writes the same rows).
#   ROWS=10000 RUNS=3 BACKENDS="postgres sqlite" bash bench/imports.sh
NAME=imports PORT=18092
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ROWS=${ROWS:-10000}
RUNS=${RUNS:-3}
BACKENDS=${BACKENDS:-"postgres sqlite"}


FILE=$OUT/persons-$ROWS.csv
awk -F, -v rows="$ROWS" 'NR > 1 && $4 == "01" {c[n++] = $1} END {
  printf "\xef\xbb\xbfHọ và tên,Giới tính,Ngày sinh,Số CCCD,Mã xã,Số bản án,Tòa án,Ngày tuyên án,Điều luật,Nhóm tội,Chương,Hình phạt chính,Số tháng tù,Ngày ra trại,Hình thức,Số GCN,Ngày tiếp nhận,Ngày lập hồ sơ,Số hồ sơ,Phân loại\r\n";
  for (i = 1; i <= rows; i++) {
    female = (i % 7 == 0); year = 1960 + i % 45;
    # CCCD: province 001, then century-and-sex digit and the two-digit year of birth.
    cccd = sprintf("001%d%02d%06d", (year >= 2000 ? 2 : 0) + female, year % 100, i);
    printf "Nguyễn Văn Nhập %d,%s,%02d/%02d/%d,%s,%s,%d/2020/HS-ST,TAND khu vực 1,%02d/06/2020,173,theft,16,Tù có thời hạn,%d,%02d/%02d/2023,Chấp hành xong,GCN-%d,%02d/%02d/2023,%02d/%02d/2023,HS-%d,%s\r\n",
      i, (female ? "Nữ" : "Nam"), 1 + i % 28, 1 + i % 12, year, cccd, c[i % n], i, 1 + i % 28,
      12 + i % 24, 1 + i % 28, 1 + i % 6, i, 1 + i % 28, 7 + i % 2, 1 + i % 28, 9 + i % 3, i, substr("ABCD", 1 + i % 4, 1)
  }
}' "$ROOT/data/admin-units-vn-2025.csv" > "$FILE"
echo "generated $FILE: $(($(wc -l < "$FILE") - 1)) rows, $(wc -c < "$FILE") bytes" >&2

echo "| backend | rows | dry run (checks only) | import | rows/s (import) |" | tee "$OUT/summary.md"
echo "|---|---:|---:|---:|---:|" | tee -a "$OUT/summary.md"
for backend in $BACKENDS; do
  dry=(); real=()
  for run in $(seq 1 "$RUNS"); do
    data=$(mktemp -d)
    if [[ $backend == postgres ]]; then
      psql -U postgres -h 127.0.0.1 -qc "DROP DATABASE IF EXISTS thncd_bench_imports" -c "CREATE DATABASE thncd_bench_imports" >/dev/null
      export DATABASE_URL=postgres://postgres@127.0.0.1:5432/thncd_bench_imports
    else
      unset DATABASE_URL
    fi
    export THNCD_DATA_DIR=$data RUST_LOG=warn THNCD_BIND=127.0.0.1:$PORT
    "$BIN" migrate >/dev/null
    THNCD_PASSWORD=$PW "$BIN" accounts create --username bench.import --role police --unit 01 >/dev/null
    "$BIN" serve >"$OUT/$backend-service.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 100); do curl -fs "localhost:$PORT/healthz" >/dev/null && break; sleep 0.1; done
    T=$(curl -fs -X POST "localhost:$PORT/api/v1/auth/token" -d grant_type=password -d username=bench.import -d "password=$PW" | jq -r .access_token)
    post() { curl -fsS -o "$OUT/$backend-$1.json" -w '%{time_total}\n' -H "Authorization: Bearer $T" \
      -H 'Content-Type: text/csv' --data-binary "@$FILE" "localhost:$PORT/api/v1/imports?$2"; }
    dry+=("$(post dry dry_run=true)")
    [[ $(jq .valid_rows "$OUT/$backend-dry.json") == "$ROWS" ]] || { echo "dry run found problems" >&2; jq .problems[:5] "$OUT/$backend-dry.json" >&2; exit 1; }
    real+=("$(post real file_name=bench.csv)")
    [[ $(jq .imported "$OUT/$backend-real.json") == "$ROWS" ]] || { echo "import incomplete" >&2; exit 1; }
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
    rm -rf "$data"
  done
  d=$(printf '%s\n' "${dry[@]}" | median); r=$(printf '%s\n' "${real[@]}" | median)
  echo "| $backend | $ROWS | ${d} s | ${r} s | $(echo "$ROWS / $r" | bc) |" | tee -a "$OUT/summary.md"
done
echo "results in $OUT" >&2
