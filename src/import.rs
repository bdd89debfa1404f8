//! Bulk import of the person files communes keep in spreadsheets: CSV (UTF-8, with or
//! without BOM) or XLSX, Vietnamese or English headers, dates as `dd/mm/yyyy` or ISO.
//! Parsing and row checks are pure; every problem is reported with its row and column.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::enums::*;
use crate::domain::lifecycle::{self, Transition};
use crate::dto::convictions::{ConvictionInput, Principal};
use crate::dto::persons::NewPerson;

/// A problem with one cell (or one row when `column` is null).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct RowProblem {
    /// Spreadsheet row number (the header is row 1).
    pub row: usize,
    pub column: Option<String>,
    pub reason: String,
}

/// The columns understood, with their accepted headers (compared accent- and case-folded).
const COLUMNS: &[(&str, &[&str])] = &[
    ("full_name", &["full_name", "ho va ten", "ho ten", "ten"]),
    ("gender", &["gender", "gioi tinh"]),
    ("date_of_birth", &["date_of_birth", "ngay sinh"]),
    ("id_number", &["id_number", "so cccd", "cccd", "so dinh danh", "so dinh danh ca nhan"]),
    ("unit", &["unit", "ma xa", "ma don vi", "commune_code"]),
    ("village", &["village", "thon", "thon/to dan pho", "to dan pho", "thon, to"]),
    ("address_line", &["address_line", "dia chi", "noi cu tru"]),
    ("judgment_number", &["judgment_number", "so ban an"]),
    ("court", &["court", "toa an", "toa an xet xu"]),
    ("judgment_date", &["judgment_date", "ngay tuyen an", "ngay ban an"]),
    ("offence_articles", &["offence_articles", "dieu luat", "dieu"]),
    ("offence_group", &["offence_group", "nhom toi", "toi danh"]),
    ("chapter", &["chapter", "chuong"]),
    ("principal_kind", &["principal_kind", "hinh phat", "hinh phat chinh"]),
    ("principal_months", &["principal_months", "so thang tu", "thoi han tu (thang)"]),
    ("release_date", &["release_date", "ngay ra trai", "ngay chap hanh xong"]),
    ("release_type", &["release_type", "hinh thuc", "dien"]),
    ("certificate_number", &["certificate_number", "so giay chung nhan", "so gcn"]),
    ("received_on", &["received_on", "ngay tiep nhan"]),
    ("management_started_on", &["management_started_on", "ngay lap ho so", "ngay quan ly"]),
    ("management_file_number", &["management_file_number", "so ho so"]),
    ("classification", &["classification", "phan loai", "nhom"]),
    ("moved_to", &["moved_to", "chuyen den", "xa chuyen den", "ma xa chuyen den"]),
    ("moved_on", &["moved_on", "ngay chuyen di", "ngay chuyen"]),
    ("exit_status", &["exit_status", "ly do giam", "dien giam"]),
    ("exit_on", &["exit_on", "ngay giam", "ngay ra khoi dien quan ly"]),
];

/// A sheet as text cells.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What one import may cost; every bound is a setting (`THNCD_IMPORT_*`, see the README).
/// The worst file within these bounds is measured by `bench/import-bounds.sh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    /// Data rows (the header excluded).
    pub max_rows: usize,
    /// Columns of the header and of any row.
    pub max_columns: usize,
    /// Characters in one cell.
    pub max_cell_chars: usize,
    /// Uncompressed bytes of any one part of an XLSX workbook (its ZIP entries), and bytes
    /// of text in all the cells of its sheet (shared strings counted at each use).
    pub max_part_bytes: u64,
    /// Uncompressed bytes of all the parts of a workbook together.
    pub max_unzipped_bytes: u64,
    /// Uncompressed size over compressed size of a part larger than 64 KiB.
    pub max_zip_ratio: u64,
    /// Problems listed in a report or a 422; the total is always counted.
    pub max_problems: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            max_rows: 50_000,
            max_columns: 64,
            max_cell_chars: 2_000,
            max_part_bytes: 64 * 1024 * 1024,
            max_unzipped_bytes: 128 * 1024 * 1024,
            max_zip_ratio: 100,
            max_problems: 1_000,
        }
    }
}

/// Parts smaller than this are not held to the compression ratio (tiny XML parts compress
/// well and cost nothing).
const RATIO_FLOOR: u64 = 64 * 1024;
/// ZIP entries in a workbook.
const MAX_PARTS: usize = 1_000;

/// Why a file could not be read: over one of the bounds (413), or not a readable file (422).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    TooLarge(String),
    Invalid(String),
}

impl From<ReadError> for crate::error::ApiError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::TooLarge(detail) => crate::error::ApiError::ContentTooLarge { code: "import_too_large", detail },
            ReadError::Invalid(reason) => crate::error::ApiError::invalid("file", reason),
        }
    }
}

/// Spreadsheet column letters of a 0-based index (`0` → `A`, `16383` → `XFD`).
fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Checks one cell against the column and length bounds (`row` and `col` 0-based, row 0
/// the header).
fn check_cell(limits: &ImportLimits, row: usize, col: usize, value: &str) -> Result<(), ReadError> {
    if col >= limits.max_columns {
        return Err(ReadError::TooLarge(format!(
            "row {} has a cell in column {} (column {}); at most {} columns are read",
            row + 1,
            column_letters(col),
            col + 1,
            limits.max_columns
        )));
    }
    if row > limits.max_rows {
        return Err(ReadError::TooLarge(format!(
            "the file has data on row {}; at most {} data rows (after the header) are read",
            row + 1,
            limits.max_rows
        )));
    }
    // Bytes first: a cheap upper bound on the characters.
    if value.len() > limits.max_cell_chars && value.chars().count() > limits.max_cell_chars {
        return Err(ReadError::TooLarge(format!(
            "cell {}{} holds more than {} characters",
            column_letters(col),
            row + 1,
            limits.max_cell_chars
        )));
    }
    Ok(())
}

pub fn read_csv(bytes: &[u8], limits: &ImportLimits) -> Result<Table, ReadError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ReadError::Invalid(format!("the file is not UTF-8 (byte {})", e.valid_up_to())))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut headers = None;
    let mut rows = Vec::new();
    let mut row = 0;
    while reader.read_record(&mut record).map_err(|e| ReadError::Invalid(format!("row {}: {e}", row + 1)))? {
        for (col, value) in record.iter().enumerate() {
            check_cell(limits, row, col, value)?;
        }
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if headers.is_none() {
            headers = Some(cells);
        } else {
            rows.push(cells);
        }
        row += 1;
    }
    Ok(Table { headers: headers.ok_or_else(|| ReadError::Invalid("header: the file is empty".into()))?, rows })
}

/// Checks every part of a workbook before any of it is parsed: the sizes the ZIP central
/// directory declares, their compression ratio, then the sizes the parts really inflate to
/// (read into nothing, never kept), since a declared size may lie.
fn check_zip(bytes: &[u8], limits: &ImportLimits) -> Result<(), ReadError> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::Invalid(format!("not a readable XLSX file: {e}")))?;
    if zip.len() > MAX_PARTS {
        return Err(ReadError::TooLarge(format!("the workbook has {} parts; at most {MAX_PARTS}", zip.len())));
    }
    let mut declared_total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| ReadError::Invalid(format!("not a readable XLSX file: {e}")))?;
        let (size, packed) = (part.size(), part.compressed_size());
        if size > limits.max_part_bytes {
            return Err(ReadError::TooLarge(format!(
                "part `{}` inflates to {size} bytes; at most {} per part",
                part.name(),
                limits.max_part_bytes
            )));
        }
        if size > RATIO_FLOOR && size / packed.max(1) > limits.max_zip_ratio {
            return Err(ReadError::TooLarge(format!(
                "part `{}` is compressed {}:1; at most {}:1",
                part.name(),
                size / packed.max(1),
                limits.max_zip_ratio
            )));
        }
        declared_total = declared_total.saturating_add(size);
    }
    if declared_total > limits.max_unzipped_bytes {
        return Err(ReadError::TooLarge(format!(
            "the workbook inflates to {declared_total} bytes; at most {}",
            limits.max_unzipped_bytes
        )));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|e| ReadError::Invalid(format!("not a readable XLSX file: {e}")))?;
        let (name, declared) = (part.name().to_string(), part.size());
        let cap = declared.min(limits.max_part_bytes).min(limits.max_unzipped_bytes - total);
        let mut capped = part.take(cap + 1);
        let n = std::io::copy(&mut capped, &mut std::io::sink())
            .map_err(|e| ReadError::Invalid(format!("not a readable XLSX file: part `{name}`: {e}")))?;
        if n > cap {
            return Err(ReadError::TooLarge(format!(
                "part `{name}` inflates to more than it declares or than the bounds allow"
            )));
        }
        total += n;
    }
    Ok(())
}

/// Reads the first sheet cell by cell (never the range it declares), within `limits`.
pub fn read_xlsx(bytes: &[u8], limits: &ImportLimits) -> Result<Table, ReadError> {
    use calamine::{DataRef, Reader, Xlsx};
    check_zip(bytes, limits)?;
    let unreadable = |e: calamine::XlsxError| ReadError::Invalid(format!("not a readable XLSX file: {e}"));
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let first =
        book.sheet_names().first().cloned().ok_or_else(|| ReadError::Invalid("the workbook has no sheet".into()))?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(|e| ReadError::Invalid(format!("first sheet: {e}")))?;
    let dims = cells.dimensions();
    if dims.end.0 as usize > limits.max_rows || dims.end.1 as usize >= limits.max_columns {
        return Err(ReadError::TooLarge(format!(
            "the sheet declares the range A1:{}{}; at most {} columns and {} data rows are read",
            column_letters(dims.end.1 as usize),
            dims.end.0 as u64 + 1,
            limits.max_columns,
            limits.max_rows
        )));
    }
    let text = |d: &DataRef| -> String {
        match d {
            DataRef::Empty => String::new(),
            DataRef::String(s) => s.clone(),
            DataRef::SharedString(s) => s.to_string(),
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            DataRef::Float(f) => f.to_string(),
            DataRef::Int(i) => i.to_string(),
            DataRef::Bool(b) => b.to_string(),
            DataRef::DateTime(dt) => dt.as_datetime().map(|t| t.date().to_string()).unwrap_or_default(),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
            DataRef::Error(e) => format!("#{e:?}"),
        }
    };
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut text_bytes: u64 = 0;
    while let Some(cell) = cells.next_cell().map_err(|e| ReadError::Invalid(format!("first sheet: {e}")))? {
        let value = text(cell.get_value());
        if value.is_empty() {
            continue;
        }
        let (row, col) = (cell.get_position().0 as usize, cell.get_position().1 as usize);
        check_cell(limits, row, col, &value)?;
        // A shared string is stored once but copied into every cell naming it: the text
        // read is bounded as the sheet itself is.
        text_bytes += value.len() as u64;
        if text_bytes > limits.max_part_bytes {
            return Err(ReadError::TooLarge(format!(
                "the sheet's cells hold more than {} bytes of text",
                limits.max_part_bytes
            )));
        }
        if grid.len() <= row {
            grid.resize_with(row + 1, Vec::new);
        }
        let cells = &mut grid[row];
        if cells.len() <= col {
            cells.resize_with(col + 1, String::new);
        }
        cells[col] = value;
    }
    // The header is the first row holding anything, as in the sheet's used range.
    let mut rows = grid.into_iter().skip_while(|r| r.is_empty());
    let headers = rows.next().unwrap_or_default();
    Ok(Table { headers, rows: rows.collect() })
}

/// Maps the header cells to known columns; unknown headers are problems on row 1.
pub fn map_headers(headers: &[String]) -> (Vec<Option<&'static str>>, Vec<RowProblem>) {
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let map = headers
        .iter()
        .map(|h| {
            let folded = crate::text::fold(h.trim());
            let found = COLUMNS.iter().find(|(_, names)| names.contains(&folded.as_str())).map(|(c, _)| *c);
            match found {
                Some(c) if seen.contains(&c) => {
                    problems.push(RowProblem {
                        row: 1,
                        column: Some(h.clone()),
                        reason: format!("second column for `{c}`"),
                    });
                    None
                }
                Some(c) => {
                    seen.push(c);
                    Some(c)
                }
                None if h.trim().is_empty() => None,
                None => {
                    problems.push(RowProblem { row: 1, column: Some(h.clone()), reason: "unknown column".into() });
                    None
                }
            }
        })
        .collect();
    for required in ["full_name", "gender"] {
        if !seen.contains(&required) {
            problems.push(RowProblem {
                row: 1,
                column: Some(required.into()),
                reason: "required column missing".into(),
            });
        }
    }
    (map, problems)
}

/// `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy` or `yyyy-mm-dd`; impossible dates are refused.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return (d.year_ce().1 >= 1900).then_some(d);
    }
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    let (d, m, y) = (parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?);
    NaiveDate::from_ymd_opt(y, m, d).filter(|d| d.year_ce().1 >= 1900)
}

use chrono::Datelike;

fn parse_gender(t: &str) -> Option<Gender> {
    match crate::text::fold(t.trim()).as_str() {
        "nam" | "male" | "m" => Some(Gender::Male),
        "nu" | "female" | "f" => Some(Gender::Female),
        "khac" | "other" => Some(Gender::Other),
        _ => None,
    }
}

fn parse_release_type(t: &str) -> Option<ReleaseType> {
    let f = crate::text::fold(t.trim());
    ReleaseType::parse(&f).or(match f.as_str() {
        "chap hanh xong" | "chap hanh xong an phat tu" | "mãn hạn" | "man han" => {
            Some(ReleaseType::CompletedSentence)
        }
        "dac xa" => Some(ReleaseType::SpecialAmnesty),
        "tha tu truoc thoi han co dieu kien" | "tha tu truoc thoi han" => Some(ReleaseType::ConditionalEarlyRelease),
        _ => None,
    })
}

fn parse_principal(t: &str) -> Option<PrincipalKind> {
    let f = crate::text::fold(t.trim());
    PrincipalKind::parse(&f).or(match f.as_str() {
        "tu co thoi han" | "tu" => Some(PrincipalKind::Imprisonment),
        "tu chung than" => Some(PrincipalKind::Life),
        "cai tao khong giam giu" => Some(PrincipalKind::NonCustodialReform),
        "an treo" | "tu cho huong an treo" => Some(PrincipalKind::Suspended),
        "canh cao" => Some(PrincipalKind::Warning),
        "phat tien" => Some(PrincipalKind::Fine),
        _ => None,
    })
}

fn parse_exit(t: &str) -> Option<Transition> {
    match crate::text::fold(t.trim()).replace(' ', "_").as_str() {
        "expunged" | "xoa_an_tich" => Some(Transition::Expunge),
        "reoffended" | "tai_pham" | "tai_pham_toi" => Some(Transition::Reoffend),
        "law_violation" | "vi_pham_phap_luat" | "vppl" => Some(Transition::LawViolation),
        "absconded" | "bo_di" | "bo_di_khoi_dia_phuong" => Some(Transition::Abscond),
        "deceased" | "chet" | "tu_vong" | "da_chet" => Some(Transition::Decease),
        _ => None,
    }
}

/// One row ready to write.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub row: usize,
    pub person: NewPerson,
    pub conviction: Option<ConvictionInput>,
    pub received_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub file_number: Option<String>,
    pub classification: Option<Classification>,
    /// A later move to another commune (`moved_to`, a commune code) and its day.
    pub moved: Option<(String, NaiveDate)>,
    /// The exit that ended management, and its day.
    pub exit: Option<(Transition, NaiveDate)>,
}

/// Checks one data row (`row` is its spreadsheet number); `default_unit` fills an empty
/// commune column for commune tokens.
pub fn check_row(
    row: usize,
    map: &[Option<&'static str>],
    cells: &[String],
    default_unit: Option<&str>,
    today: NaiveDate,
) -> Result<ImportRow, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let get = |col: &str| -> Option<String> {
        map.iter()
            .position(|c| *c == Some(col))
            .and_then(|i| cells.get(i))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut bad = |col: &str, reason: &str| {
        problems.push(RowProblem { row, column: Some(col.to_string()), reason: reason.to_string() })
    };
    let date = |col: &str, bad: &mut dyn FnMut(&str, &str)| -> Option<NaiveDate> {
        let v = get(col)?;
        match parse_date(&v) {
            Some(d) if d > today => {
                bad(col, "is in the future");
                None
            }
            Some(d) => Some(d),
            None => {
                bad(col, "is not a date (dd/mm/yyyy or yyyy-mm-dd)");
                None
            }
        }
    };
    let full_name = get("full_name");
    if full_name.is_none() {
        bad("full_name", "is required");
    }
    let gender = match get("gender") {
        None => {
            bad("gender", "is required");
            None
        }
        Some(g) => parse_gender(&g).or_else(|| {
            bad("gender", "must be Nam, Nữ or Khác (male, female, other)");
            None
        }),
    };
    let date_of_birth = date("date_of_birth", &mut bad);
    let unit = get("unit").or(default_unit.map(str::to_string));
    if unit.is_none() {
        bad("unit", "is required (a 5-digit commune code)");
    }
    let judgment_date = date("judgment_date", &mut bad);
    let release_date = date("release_date", &mut bad);
    let received_on = date("received_on", &mut bad);
    let started_on = date("management_started_on", &mut bad);
    let classification = get("classification").and_then(|c| {
        Classification::parse(&c.to_lowercase()).or_else(|| {
            bad("classification", "must be A, B, C or D");
            None
        })
    });
    let conviction = if get("judgment_number").is_some() {
        let offence_group = get("offence_group").and_then(|g| {
            OffenceGroup::parse(&crate::text::fold(&g).replace(' ', "_")).or_else(|| {
                bad("offence_group", "is not an offence group code (drugs, theft, …)");
                None
            })
        });
        let kind = get("principal_kind").and_then(|k| {
            parse_principal(&k).or_else(|| {
                bad("principal_kind", "is not a principal penalty");
                None
            })
        });
        let months = get("principal_months").and_then(|m| {
            m.parse::<i32>().ok().filter(|m| (1..=600).contains(m)).or_else(|| {
                bad("principal_months", "must be a whole number of months (1–600)");
                None
            })
        });
        let chapter = get("chapter").and_then(|c| {
            c.parse::<i32>().ok().filter(|c| (1..=26).contains(c)).or_else(|| {
                bad("chapter", "must be a chapter number 1–26");
                None
            })
        });
        let release_type = get("release_type").and_then(|t| {
            parse_release_type(&t).or_else(|| {
                bad("release_type", "must be completed_sentence, special_amnesty or conditional_early_release");
                None
            })
        });
        for (col, missing) in [
            ("court", get("court").is_none()),
            ("judgment_date", judgment_date.is_none() && get("judgment_date").is_none()),
            ("offence_articles", get("offence_articles").is_none()),
            ("offence_group", get("offence_group").is_none()),
            ("chapter", get("chapter").is_none()),
            ("principal_kind", get("principal_kind").is_none()),
        ] {
            if missing {
                bad(col, "is required with a judgment");
            }
        }
        match (judgment_date, offence_group, chapter, kind) {
            (Some(jd), Some(group), Some(chapter), Some(kind)) => Some(ConvictionInput {
                judgment_number: get("judgment_number").unwrap_or_default(),
                court: get("court").unwrap_or_default(),
                judgment_date: jd,
                offence_articles: get("offence_articles")
                    .unwrap_or_default()
                    .split([';', ','])
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
                offence_group: group,
                chapter,
                principal: Principal { kind, months },
                supplementary: vec![],
                obligations: vec![],
                detention_facility: None,
                sentence_completed_on: None,
                release_date,
                release_type,
                certificate_number: get("certificate_number"),
                certificate_date: release_type.and(release_date),
                probation_end: None,
                new_offence: false,
                offence_date: None,
                crime_category: None,
                culpability: None,
                expunged_on: None,
            }),
            _ => None,
        }
    } else {
        None
    };
    if let (Some(r), Some(s)) = (received_on, started_on) {
        if s < r {
            bad("management_started_on", "is before received_on");
        }
    }
    if started_on.is_some() && received_on.is_none() {
        bad("received_on", "is required when management_started_on is given");
    }
    if let (Some(rel), Some(rec)) = (release_date, received_on) {
        if rec < rel {
            bad("received_on", "is before the release date");
        }
    }
    // The later history: a move, then an exit, each after the steps before it.
    let moved_on = date("moved_on", &mut bad);
    let exit_on = date("exit_on", &mut bad);
    let moved = match (get("moved_to"), moved_on) {
        (Some(to), Some(on)) => Some((to, on)),
        (Some(_), None) => {
            if get("moved_on").is_none() {
                bad("moved_on", "is required with moved_to");
            }
            None
        }
        (None, Some(_)) => {
            bad("moved_to", "is required with moved_on");
            None
        }
        (None, None) => None,
    };
    let exit = match get("exit_status") {
        Some(t) => match (parse_exit(&t), exit_on) {
            (Some(kind), Some(on)) => Some((kind, on)),
            (None, _) => {
                bad("exit_status", "must be expunged, reoffended, law_violation, absconded or deceased");
                None
            }
            (Some(_), None) => {
                if get("exit_on").is_none() {
                    bad("exit_on", "is required with exit_status");
                }
                None
            }
        },
        None => {
            if exit_on.is_some() {
                bad("exit_status", "is required with exit_on");
            }
            None
        }
    };
    let mut status = PersonStatus::Expected;
    let mut last = received_on;
    if received_on.is_some() {
        status = PersonStatus::Received;
    }
    if started_on.is_some() {
        status = PersonStatus::UnderManagement;
        last = started_on;
    }
    for (col, step, on) in [
        ("moved_to", moved.as_ref().map(|_| Transition::Transfer), moved.as_ref().map(|m| m.1)),
        ("exit_status", exit.map(|e| e.0), exit.map(|e| e.1)),
    ] {
        let (Some(step), Some(on)) = (step, on) else { continue };
        match lifecycle::check(status, step) {
            Ok(next) => status = next,
            Err(_) => {
                bad(col, &format!("is not possible while the person is `{}`", status.as_str()));
                continue;
            }
        }
        if last.is_some_and(|l| on < l) {
            let field = if col == "moved_to" { "moved_on" } else { "exit_on" };
            bad(field, "is before the step it follows");
        }
        last = Some(on);
    }
    if let (Some((to, _)), Some(u)) = (&moved, &unit) {
        if to == u {
            bad("moved_to", "is the person's commune");
        }
    }
    let person = NewPerson {
        full_name: full_name.unwrap_or_default(),
        other_names: None,
        gender: gender.unwrap_or(Gender::Other),
        date_of_birth,
        id_number: get("id_number"),
        ethnicity: None,
        nationality: Nationality::Vietnamese,
        country: None,
        phone: None,
        unit: unit.unwrap_or_default(),
        village: get("village"),
        address_line: get("address_line"),
        education: None,
        occupation: None,
        family_situation: None,
        registered_on: None,
    };
    if let Err(errors) = person.validate() {
        for (field, errs) in errors.field_errors() {
            let reason = errs.first().and_then(|e| e.message.clone()).map(|m| m.to_string());
            bad(field.as_ref(), reason.as_deref().unwrap_or("is not valid"));
        }
    }
    if let Some(c) = &conviction {
        if let Err(errors) = c.validate() {
            for (field, _) in errors.field_errors() {
                bad(field.as_ref(), "is not valid");
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ImportRow {
        row,
        person,
        conviction,
        received_on,
        started_on,
        file_number: get("management_file_number"),
        classification,
        moved,
        exit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_styles_and_impossible_ones_refused() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        let cases = [
            ("15/05/2024", d(2024, 5, 15)),
            ("1/2/2020", d(2020, 2, 1)),
            ("2024-05-15", d(2024, 5, 15)),
            ("15-05-2024", d(2024, 5, 15)),
            ("29/02/2024", d(2024, 2, 29)),
            ("29/02/2023", None),
            ("31/02/2025", None),
            ("0000-00-00", None),
            ("00/00/0000", None),
            ("15/05/24", None),
            ("2024/05/15", None),
            ("hôm qua", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text), want, "{text}");
        }
    }

    #[test]
    fn column_letters_as_spreadsheets_write_them() {
        for (col, want) in [(0, "A"), (25, "Z"), (26, "AA"), (63, "BL"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD")] {
            assert_eq!(column_letters(col), want, "{col}");
        }
    }

    #[test]
    fn csv_bounds_refuse_the_file_whole() {
        let limits = ImportLimits { max_rows: 2, max_columns: 3, max_cell_chars: 4, ..Default::default() };
        let ok = read_csv("a,b,c\n1,2,3\n4,5,6\n".as_bytes(), &limits).unwrap();
        assert_eq!((ok.headers.len(), ok.rows.len()), (3, 2));
        let too_large = |text: &str| matches!(read_csv(text.as_bytes(), &limits), Err(ReadError::TooLarge(_)));
        assert!(too_large("a,b,c\n1\n2\n3\n"), "a third data row");
        assert!(too_large("a,b,c,d\n"), "a fourth column");
        assert!(too_large("a\n12345\n"), "a cell of five characters");
        assert!(!too_large("a\nđêđê\n"), "characters, not bytes");
        assert!(matches!(read_csv(b"\xff", &limits), Err(ReadError::Invalid(_))));
    }

    #[test]
    fn vietnamese_and_english_headers() {
        let headers: Vec<String> = ["Họ và tên", "Giới tính", "Ngày sinh", "Mã xã", "unit", "Cột lạ", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (map, problems) = map_headers(&headers);
        assert_eq!(map, vec![Some("full_name"), Some("gender"), Some("date_of_birth"), Some("unit"), None, None, None]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].reason, "second column for `unit`");
        assert_eq!(problems[1].column.as_deref(), Some("Cột lạ"));
        let (_, missing) = map_headers(&["Ngày sinh".to_string()]);
        assert_eq!(missing.iter().filter(|p| p.reason == "required column missing").count(), 2);
    }

    #[test]
    fn rows_report_every_problem() {
        let headers: Vec<String> =
            ["Họ và tên", "Giới tính", "Ngày sinh", "Mã xã", "Ngày tiếp nhận", "Ngày lập hồ sơ", "Phân loại"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let (map, _) = map_headers(&headers);
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let cells = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ok = check_row(
            2,
            &map,
            &cells(&["Nguyễn Văn A", "Nam", "02/03/1985", "00070", "01/06/2025", "03/06/2025", "b"]),
            None,
            today,
        )
        .unwrap();
        assert_eq!(ok.person.gender, Gender::Male);
        assert_eq!(ok.classification, Some(Classification::B));
        let errs =
            check_row(3, &map, &cells(&["", "X", "31/02/1985", "", "05/06/2025", "01/06/2025", "E"]), None, today)
                .unwrap_err();
        let cols: Vec<&str> = errs.iter().filter_map(|p| p.column.as_deref()).collect();
        for c in ["full_name", "gender", "date_of_birth", "unit", "classification", "management_started_on"] {
            assert!(cols.contains(&c), "{c} not in {cols:?}");
        }
        assert!(errs.iter().all(|p| p.row == 3));
    }
}
