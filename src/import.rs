//! Bulk import of the person files communes keep in spreadsheets: CSV (UTF-8, with or
//! without BOM) or XLSX, Vietnamese or English headers, dates as `dd/mm/yyyy` or ISO.
//! Parsing and row checks are pure; every problem is reported with its row and column.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::enums::*;
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
];

/// A sheet as text cells.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn read_csv(bytes: &[u8]) -> Result<Table, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("the file is not UTF-8 (byte {})", e.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("header: {e}"))?.iter().map(str::to_string).collect();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("row {}: {e}", i + 2))?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(Table { headers, rows })
}

pub fn read_xlsx(bytes: &[u8]) -> Result<Table, String> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|e| format!("not a readable XLSX file: {e}"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| "the workbook has no sheet".to_string())?
        .map_err(|e| format!("first sheet: {e}"))?;
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(dt) => dt.as_datetime().map(|t| t.date().to_string()).unwrap_or_default(),
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("#{e:?}"),
        }
    };
    let mut rows = range.rows();
    let headers = rows.next().map(|r| r.iter().map(cell).collect()).unwrap_or_default();
    Ok(Table { headers, rows: rows.map(|r| r.iter().map(cell).collect()).collect() })
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
