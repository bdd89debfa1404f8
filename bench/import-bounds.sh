#!/usr/bin/env bash
# Import bounds: the worst files the default THNCD_IMPORT_* bounds let through, posted as dry
# runs to the release service; prints the service's peak RSS (the kernel's high-water mark,
# reset before each file) and the time of each. Also posts the 1.4 KB XFD1048576 workbook
# and a CSV with a million columns, which must be refused (413) at no cost.
#   bash bench/import-bounds.sh                  # SQLite (a dry run reads little of the database)
#   BACKEND=postgres bash bench/import-bounds.sh
# Worst files (defaults: 20 MiB body, 50,000 rows, 64 columns, 64 MiB per XLSX part, 100:1):
#   csv:  50,000 rows x 64 cells filling the 20 MiB body (every row a problem, list capped);
#   xlsx: 50,001 rows x 36 cells, every cell a shared string of 36 characters picked at
#         random (so the sheet part is 64 MiB less a little and compresses far below 100:1),
#         the cells' text at the 64 MiB bound.
NAME=import-bounds PORT=18093
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
BACKEND=${BACKEND:-sqlite}
command -v python3 >/dev/null || { echo "python3 is needed to write the files" >&2; exit 1; }

python3 - "$OUT" <<'PY'
import os, random, sys, zipfile
out = sys.argv[1]
rnd = random.Random(42)
letters = "abcdefghijklmnopqrstuvwxyz"

# CSV: 50,000 data rows x 64 cells, about 20 MiB (the body bound is 20,971,520 bytes).
rows, cols = 50_000, 64
with open(os.path.join(out, "worst.csv"), "w", encoding="utf-8", newline="") as f:
    f.write(",".join(["full_name", "gender", "date_of_birth"] + [f"c{i}" for i in range(4, cols + 1)]) + "\r\n")
    filler = 5  # 61 cells of 5 letters: about 400 bytes a row
    for i in range(rows):
        cells = [f"Nguyen Van {i}", "X", "01/01/1980"] + ["".join(rnd.choice(letters) for _ in range(filler)) for _ in range(cols - 3)]
        f.write(",".join(cells) + "\r\n")

# XLSX: shared strings, one sheet with a cell reference on each cell.
def col(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s

xrows, xcols, pool = 50_001, 36, 100_000
strings = ["full_name", "gender", "date_of_birth", "X", "01/01/1980"] + [f"c{i}" for i in range(4, xcols + 1)]
first_pool = len(strings)
strings += ["".join(rnd.choice(letters) for _ in range(36)) for _ in range(pool)]
def si(s):
    return f"<si><t>{s}</t></si>"
shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          f'count="{xrows * xcols}" uniqueCount="{len(strings)}">' + "".join(si(s) for s in strings) + "</sst>")
parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         f'<dimension ref="A1:{col(xcols - 1)}{xrows}"/><sheetData>']
header = list(range(3)) + list(range(5, 5 + xcols - 3))
for r in range(1, xrows + 1):
    if r == 1:
        idx = header
    else:
        idx = [first_pool + rnd.randrange(pool), 3, 4] + [first_pool + rnd.randrange(pool) for _ in range(xcols - 3)]
    parts.append(f'<row r="{r}">' + "".join(f'<c r="{col(c)}{r}" t="s"><v>{v}</v></c>' for c, v in enumerate(idx)) + "</row>")
parts.append("</sheetData></worksheet>")
sheet = "".join(parts)
files = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    "xl/sharedStrings.xml": shared,
    "xl/worksheets/sheet1.xml": sheet,
}
path = os.path.join(out, "worst.xlsx")
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name, text in files.items():
        z.writestr(name, text.encode())
with zipfile.ZipFile(path) as z:
    for i in z.infolist():
        print(f"  {i.filename}: {i.file_size} bytes, {i.compress_size} packed, {i.file_size / max(i.compress_size, 1):.1f}:1", file=sys.stderr)
PY
python3 - "$OUT" <<'PY'
import sys, zipfile
# The 1.4 KB workbook: cells at A1 and XFD1048576, so the sheet declares the whole grid.
sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
         '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row></sheetData></worksheet>')
with zipfile.ZipFile(sys.argv[1] + "/bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", sheet)
with open(sys.argv[1] + "/wide.csv", "w") as f:
    f.write("full_name,gender" + ",x" * 1_000_000 + "\nA,Nam\n")
PY
ls -l "$OUT"/*.csv "$OUT"/*.xlsx >&2

data=$(mktemp -d)
if [[ $BACKEND == postgres ]]; then
  psql -U postgres -h 127.0.0.1 -qc "DROP DATABASE IF EXISTS thncd_bench_bounds" -c "CREATE DATABASE thncd_bench_bounds" >/dev/null
  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/thncd_bench_bounds
else
  unset DATABASE_URL
fi
export THNCD_DATA_DIR=$data RUST_LOG=warn THNCD_BIND=127.0.0.1:$PORT
"$BIN" migrate >/dev/null
THNCD_PASSWORD=$PW "$BIN" accounts create --username bench.bounds --role police --unit 00070 >/dev/null
"$BIN" serve >"$OUT/service.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -fs "localhost:$PORT/healthz" >/dev/null && break; sleep 0.1; done
T=$(curl -fs -X POST "localhost:$PORT/api/v1/auth/token" -d grant_type=password -d username=bench.bounds -d "password=$PW" | jq -r .access_token)
idle=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")

echo "| file | bytes | status | answer | time | peak RSS | over idle |" | tee "$OUT/summary.md"
echo "|---|---:|---:|---|---:|---:|---:|" | tee -a "$OUT/summary.md"
for f in worst.csv worst.xlsx bomb.xlsx wide.csv; do
  case $f in *.csv) ct=text/csv ;; *) ct=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet ;; esac
  echo 5 >"/proc/$PID/clear_refs"  # reset the high-water mark to the current RSS
  read -r code secs < <(curl -sS -o "$OUT/$f.json" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $T" \
    -H "Content-Type: $ct" --data-binary "@$OUT/$f" "localhost:$PORT/api/v1/imports?dry_run=true")
  peak=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
  answer=$(jq -c 'if .rows then {rows, valid_rows, listed: (.problems | length), problems_total} else {code, detail} end' "$OUT/$f.json" | cut -c1-120)
  echo "| $f | $(wc -c <"$OUT/$f") | $code | \`$answer\` | ${secs} s | $((peak / 1024)) MiB | $(((peak - idle) / 1024)) MiB |" | tee -a "$OUT/summary.md"
done
curl -fs "localhost:$PORT/healthz" >/dev/null && echo "the service still answers" | tee -a "$OUT/summary.md"
rm -rf "$data"
echo "results in $OUT" >&2
