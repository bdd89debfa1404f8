//! The catalogue is complete: every problem code and every English text the service can put
//! in a problem (found by walking `src/`) has its Vietnamese.

use std::collections::BTreeSet;
use std::path::Path;

use super::*;
use crate::error::ApiError;

#[test]
fn accept_language_picks_the_best_supported_language() {
    let cases = [
        (None, Lang::En),
        (Some(""), Lang::En),
        (Some("vi"), Lang::Vi),
        (Some("vi-VN"), Lang::Vi),
        (Some("VI"), Lang::Vi),
        (Some("en"), Lang::En),
        (Some("fr"), Lang::En),
        (Some("fr, vi;q=0.5"), Lang::Vi),
        (Some("en, vi"), Lang::En),
        (Some("vi, en"), Lang::Vi),
        (Some("en;q=0.5, vi;q=0.9"), Lang::Vi),
        (Some("vi;q=0.4, en;q=0.8"), Lang::En),
        (Some("vi;q=0"), Lang::En),
        (Some("vi;q=0.8, *;q=0.9"), Lang::En),
        (Some("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"), Lang::Vi),
        (Some("vi;q=abc"), Lang::En),
    ];
    for (header, want) in cases {
        assert_eq!(negotiate(header), want, "{header:?}");
    }
}

#[test]
fn templates_carry_their_values() {
    assert_eq!(phrase_vi("must not be in the future").as_deref(), Some("không được là ngày trong tương lai"));
    assert_eq!(
        phrase_vi("must not be before the release date (2024-03-01)").as_deref(),
        Some("không được trước ngày ra tù (2024-03-01)")
    );
    assert_eq!(
        phrase_vi("`x1` and `x2` overlap").as_deref(),
        Some("`x1` và `x2` chồng lấn nhau"),
        "values keep their order"
    );
    assert_eq!(phrase_vi("cell B7 holds more than 2000 characters").as_deref(), Some("ô B7 có nhiều hơn 2000 ký tự"));
    // The longest template wins over a shorter one that also matches.
    assert_eq!(
        phrase_vi("the person is `absconded` and was not managed in your unit on 2024-01-02").as_deref(),
        Some("người này đang ở trạng thái `absconded` và không được quản lý tại đơn vị của bạn vào ngày 2024-01-02")
    );
    assert_eq!(phrase_vi("something nobody wrote"), None);
    assert_eq!(reason_vi("something nobody wrote"), "giá trị không hợp lệ");
}

#[test]
fn a_problem_is_localized_but_keeps_its_codes() {
    let mut problem =
        serde_json::to_value(ApiError::invalid("moved_on", "must not be in the future").to_problem()).unwrap();
    localize_problem(&mut problem);
    assert_eq!(problem["title"], "Yêu cầu có trường không hợp lệ");
    assert_eq!(problem["code"], "validation_failed");
    assert_eq!(problem["invalid_params"][0]["name"], "moved_on");
    assert_eq!(problem["invalid_params"][0]["reason"], "không được là ngày trong tương lai");
}

/// Every `ApiError` variant, with a typical message; the match below stops compiling when a
/// variant is added and not listed here.
fn every_variant() -> Vec<ApiError> {
    use actix_web::http::StatusCode;
    use ApiError::*;
    let all = vec![
        Validation(vec![]),
        ValidationTruncated { params: vec![], total: 3 },
        BadRequest { code: "bad_request", detail: "the request could not be understood".into() },
        Unauthorized("the token is invalid or expired".into()),
        Forbidden("operation list_persons needs one of the roles: police".into()),
        NotFound,
        Conflict {
            code: "duplicate",
            detail: "a record with the same unique value already exists".into(),
            allowed: None,
        },
        PreconditionRequired,
        PreconditionFailed,
        Unprocessable { code: "unknown_reference", detail: "a referenced record does not exist".into() },
        PayloadTooLarge { limit: 1024 },
        ContentTooLarge { code: "import_too_large", detail: "the workbook has 9 parts; at most 8".into() },
        UnsupportedMediaType,
        TooManyRequests { retry_after_secs: 1 },
        OAuth {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_grant",
            description: "the token is invalid or expired".into(),
        },
        Unavailable("the database is not reachable".into()),
        Internal("secret internals".into()),
    ];
    for e in &all {
        match e {
            Validation(_)
            | ValidationTruncated { .. }
            | BadRequest { .. }
            | Unauthorized(_)
            | Forbidden(_)
            | NotFound
            | Conflict { .. }
            | PreconditionRequired
            | PreconditionFailed
            | Unprocessable { .. }
            | PayloadTooLarge { .. }
            | ContentTooLarge { .. }
            | UnsupportedMediaType
            | TooManyRequests { .. }
            | OAuth { .. }
            | Unavailable(_)
            | Internal(_) => {}
        }
    }
    all
}

fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // Test modules write messages nobody is ever sent.
                let text = text.split("#[cfg(test)]").next().unwrap_or_default().to_string();
                out.push((path.display().to_string(), text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.retain(|(path, _)| !path.contains("i18n"));
    assert!(out.len() > 100, "the sources were found");
    out
}

/// The string literal argument `n` of the call whose `(` ends just before `text[start..]`
/// starts with (or with `format!(` and it), if it does.
fn literal_of_arg(text: &str, start: usize, n: usize) -> Option<String> {
    let bytes = text.as_bytes();
    let (mut depth, mut arg, mut i, mut arg_start) = (0usize, 0usize, start, start);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let (literal, end) = read_literal(text, i + 1);
                if arg == n {
                    let before = text[arg_start..i].trim();
                    let leads = before.is_empty() || before == "&" || before.ends_with("format!(");
                    return leads.then_some(literal);
                }
                i = end;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                if depth == 0 {
                    return None;
                }
                depth -= 1;
            }
            b',' if depth == 0 => {
                arg += 1;
                arg_start = i + 1;
                if arg > n {
                    return None;
                }
            }
            b';' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// A Rust string literal's value from just after its opening quote, and its closing quote.
fn read_literal(text: &str, start: usize) -> (String, usize) {
    let mut out = String::new();
    let mut chars = text[start..].char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return (out, start + at),
            '\\' => match chars.next().map(|(_, e)| e) {
                Some('\n') => {
                    let rest = chars.as_str();
                    let skipped = rest.len() - rest.trim_start().len();
                    for _ in 0..rest[..skipped].chars().count() {
                        chars.next();
                    }
                }
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    (out, text.len())
}

/// `{name}` and `{}` placeholders both become `{}`.
fn as_template(literal: &str) -> String {
    let mut out = String::new();
    let mut rest = literal;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                out.push_str("{}");
                rest = &rest[open + close + 1..];
            }
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where a text that reaches a problem is written, and which argument holds it.
const TEXT_SITES: &[(&str, usize)] = &[
    ("ApiError::invalid(", 1),
    ("InvalidParam::new(", 1),
    ("bad(", 1),
    ("ApiError::bad_request(", 1),
    ("ApiError::conflict(", 1),
    ("ApiError::unprocessable(", 1),
    ("ApiError::Forbidden(", 0),
    ("ApiError::Unauthorized(", 0),
    ("ApiError::Unavailable(", 0),
    ("oauth(", 2),
    ("e.message = Some(", 0),
    ("ReadError::Invalid(", 0),
    ("ReadError::TooLarge(", 0),
    ("BadExtValue(", 0),
    ("GrantError::MissingCredentials(", 0),
    ("Err((", 1),
    ("detail: ", 0),
    ("message: ", 0),
];

/// Where a problem code is written, and which argument holds it.
const CODE_SITES: &[(&str, usize)] = &[
    ("ApiError::bad_request(", 0),
    ("ApiError::conflict(", 0),
    ("ApiError::unprocessable(", 0),
    ("oauth(", 1),
    ("code: ", 0),
];

/// A `code:`/`detail:` field counts inside an `ApiError` literal, a `message:` inside a loan
/// rule's `Failure` (which becomes `invalid_params`).
fn in_context(text: &str, at: usize, site: &str) -> bool {
    let before = &text[text[..at].char_indices().rev().nth(160).map_or(0, |(i, _)| i)..at];
    match site {
        "code: " | "detail: " => before.contains("ApiError::"),
        "message: " => before.contains("Failure {"),
        _ => true,
    }
}

/// Pure checks whose `Err` texts become field reasons.
const REASON_FILES: &[&str] = &["auth/password.rs", "auth/roles.rs", "domain/cccd.rs", "api/auth.rs"];
const ERR_SITE: (&str, usize) = ("Err(", 0);

fn found(sites: &[(&str, usize)]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, text) in sources() {
        let reason_file = REASON_FILES.iter().any(|f| path.ends_with(f));
        for (site, n) in sites.iter().chain(reason_file.then_some(&ERR_SITE)) {
            for (at, _) in text.match_indices(site) {
                if !in_context(&text, at, site) {
                    continue;
                }
                if let Some(literal) = literal_of_arg(&text, at + site.len(), *n) {
                    out.insert(as_template(&literal));
                }
            }
        }
    }
    out
}

#[test]
fn every_problem_code_has_a_vietnamese_title() {
    let mut codes = found(CODE_SITES);
    codes.retain(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
    codes.extend(every_variant().iter().map(|e| e.to_problem().code));
    for status in [400, 404, 405, 413, 415, 500] {
        let status = actix_web::http::StatusCode::from_u16(status).unwrap();
        codes.insert(crate::http::problems::generic_parts("GET", status).0.to_string());
    }
    assert!(codes.len() > 40, "{codes:?}");
    let missing: Vec<&String> = codes.iter().filter(|c| code_vi(c).is_none()).collect();
    assert!(missing.is_empty(), "problem codes without Vietnamese in http/i18n/vi.rs: {missing:?}");
}

#[test]
fn every_reason_and_detail_has_vietnamese() {
    let mut texts = found(TEXT_SITES);
    // A text made only of values (`{}: {}`) has nothing to translate.
    texts.retain(|t| t.replace("{}", "").chars().any(char::is_alphabetic));
    for e in every_variant() {
        texts.extend(e.to_problem().detail);
    }
    for status in [400, 404, 405, 413, 415, 500] {
        let status = actix_web::http::StatusCode::from_u16(status).unwrap();
        texts.insert(crate::http::problems::generic_parts("GET", status).2);
    }
    // The validator attributes used on request types, by their code.
    let validator_codes = ["length", "range", "email", "url", "required", "contains", "regex", "must_match"];
    for (_, text) in sources().iter().filter(|(path, _)| path.contains("dto")) {
        for line in text.lines().filter(|l| l.trim_start().starts_with("#[validate(")) {
            for code in
                validator_codes.iter().filter(|c| line.contains(&format!("{c}(")) || line.contains(&format!("({c})")))
            {
                texts.insert(crate::error::describe_validation_code(code));
            }
        }
    }
    assert!(texts.len() > 250, "{}", texts.len());
    let missing: Vec<&String> = texts.iter().filter(|t| phrase_vi(&t.replace("{}", "X1")).is_none()).collect();
    assert!(missing.is_empty(), "{} texts without Vietnamese in http/i18n/vi.rs: {missing:#?}", missing.len());
}
