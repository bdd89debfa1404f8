//! Request and response types: serde + validator + utoipa schemas.

pub mod accounts;
pub mod admin_units;
pub mod audit;
pub mod auth;
pub mod clients;
pub mod committees;
pub mod convictions;
pub mod facility_activities;
pub mod holidays;
pub mod integrations;
pub mod labour;
pub mod loans;
pub mod merge_patch;
pub mod models;
pub mod persons;
pub mod plans;
pub mod query_words;
pub mod release_notices;
pub mod reports;
pub mod supervision;

use validator::ValidationError;

/// Rejects control characters (NUL included) in free text.
pub fn no_control_chars(value: &str) -> Result<(), ValidationError> {
    if crate::text::has_control_chars(value) {
        let mut e = ValidationError::new("control_chars");
        e.message = Some("must not contain control or invisible formatting characters".into());
        return Err(e);
    }
    Ok(())
}

/// A single-line field (a name, title, number, code, address): no control or invisible
/// characters, and no line break or tab either, which would split a printed list, a CSV
/// export or a log line. Free text (notes, reasons, narratives) keeps `no_control_chars`.
pub fn single_line(value: &str) -> Result<(), ValidationError> {
    no_control_chars(value)?;
    if value.contains(['\n', '\r', '\t']) {
        let mut e = ValidationError::new("single_line");
        e.message = Some("must be a single line: no line break or tab".into());
        return Err(e);
    }
    Ok(())
}

/// Every item of a list of single-line values (offence articles, business lines).
pub fn each_single_line(values: &[String]) -> Result<(), ValidationError> {
    values.iter().try_for_each(|v| single_line(v))
}

pub use crate::domain::dates::{date_from_1900, EARLIEST_DATE};

/// A person's name: a single line without control or invisible characters, and no Latin
/// letters mixed with Cyrillic or Greek look-alikes.
pub fn person_name(value: &str) -> Result<(), ValidationError> {
    single_line(value)?;
    if crate::text::mixes_confusable_scripts(value) {
        let mut e = ValidationError::new("mixed_scripts");
        e.message = Some("mixes Latin letters with Cyrillic or Greek look-alikes".into());
        return Err(e);
    }
    Ok(())
}

/// A date of birth: not in the future, and not before 1900.
pub fn birth_date(value: &chrono::NaiveDate) -> Result<(), ValidationError> {
    if *value > crate::time::today_vn() || *value < EARLIEST_DATE {
        let mut e = ValidationError::new("birth_date");
        e.message = Some("must lie between 1900-01-01 and today".into());
        return Err(e);
    }
    Ok(())
}

/// `VN`, a 2-digit province code or a 5-digit commune code.
pub fn unit_code_shape(value: &str) -> Result<(), ValidationError> {
    if crate::auth::Jurisdiction::parse(value).is_none() {
        let mut e = ValidationError::new("unit_code");
        e.message = Some("must be VN, a 2-digit province code or a 5-digit commune code".into());
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_fields_refuse_breaks_and_tabs() {
        let cases = [
            ("Nguyễn Văn An", true),
            ("H'Hen Niê", true),
            ("Số 5, ngõ 3/2", true),
            ("Nguyễn\nAn", false),
            ("Nguyễn\rAn", false),
            ("Nguyễn\tAn", false),
            ("An\u{0}", false),
            ("An\u{200B}", false),
        ];
        for (value, ok) in cases {
            assert_eq!(single_line(value).is_ok(), ok, "{value:?}");
        }
        assert!(no_control_chars("Dòng một.\nDòng hai.\tTab.").is_ok(), "free text keeps its lines");
        assert!(each_single_line(&["173".to_string(), "249".to_string()]).is_ok());
        assert!(each_single_line(&["173".to_string(), "24\n9".to_string()]).is_err());
    }

    #[test]
    fn no_date_before_1900() {
        let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let cases = [(d(1, 1, 1), false), (d(1899, 12, 31), false), (d(1900, 1, 1), true), (d(2025, 7, 1), true)];
        for (date, ok) in cases {
            assert_eq!(date_from_1900(&date).is_ok(), ok, "{date}");
        }
    }
}
