//! Problem messages in the caller's language. English is the default; `Accept-Language: vi`
//! (q-values honoured) gives every problem's `title`, `detail` and `invalid_params[].reason`
//! in Vietnamese. Codes, types and field names never change with the language.
//!
//! The service writes its messages in English; `http/problems.rs` passes every problem body
//! through [`localize_problem`] when the caller asked for Vietnamese. The catalogue
//! (`i18n/vi.rs`) keys titles by problem code and the texts by their English template.

mod vi;

use serde_json::Value;

/// A language the service answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Vi,
}

impl Lang {
    /// The `Content-Language` tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Vi => "vi",
        }
    }
}

/// Picks the language from an `Accept-Language` header (RFC 9110 §12.5.4): the supported
/// language (`vi`, `en`, or `*` for the default) with the highest q-value, the first on a tie;
/// English when none is acceptable or the header is absent.
pub fn negotiate(accept_language: Option<&str>) -> Lang {
    let mut best: Option<(f32, Lang)> = None;
    for item in accept_language.unwrap_or("").split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let lang = match tag.split('-').next().unwrap_or("") {
            "vi" => Lang::Vi,
            "en" | "*" => Lang::En,
            _ => continue,
        };
        let q = parts
            .filter_map(|p| {
                let (k, v) = p.split_once('=')?;
                k.trim().eq_ignore_ascii_case("q").then(|| v.trim().parse::<f32>().unwrap_or(0.0))
            })
            .next()
            .unwrap_or(1.0);
        if q > 0.0 && q <= 1.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::En, |(_, lang)| lang)
}

/// The Vietnamese title and default detail of a problem code.
pub fn code_vi(code: &str) -> Option<(&'static str, &'static str)> {
    vi::CODES.iter().find(|(c, _, _)| *c == code).map(|(_, title, detail)| (*title, *detail))
}

/// A problem whose code is not in the catalogue (none should be): by its status.
fn status_vi(status: u64) -> (&'static str, &'static str) {
    match status {
        401 => ("Cần xác thực", "Cần gửi mã truy cập hợp lệ."),
        403 => ("Không được phép", "Bạn không được thực hiện thao tác này."),
        404 => ("Không tìm thấy", "Không có tài nguyên này."),
        409 => ("Xung đột", "Yêu cầu xung đột với trạng thái hiện tại của bản ghi."),
        413 => ("Nội dung quá lớn", "Nội dung yêu cầu vượt quá giới hạn cho phép."),
        422 => ("Không thể xử lý yêu cầu", "Yêu cầu không hợp lệ."),
        429 => ("Quá nhiều yêu cầu", "Hãy thử lại sau."),
        s if s >= 500 => ("Lỗi hệ thống", "Đã xảy ra lỗi; hãy thử lại sau."),
        _ => ("Yêu cầu không hợp lệ", "Không hiểu được yêu cầu."),
    }
}

/// The Vietnamese text of an English reason or detail, values carried over; `None` when the
/// catalogue has no template for it. The template with the most literal text wins.
pub fn phrase_vi(english: &str) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for (en, vi) in vi::PHRASES {
        if let Some(values) = match_template(en, english) {
            let literal = en.len() - 2 * values.len();
            if best.as_ref().is_none_or(|(l, _)| literal > *l) {
                best = Some((literal, fill(vi, &values)));
            }
        }
    }
    best.map(|(_, text)| text)
}

/// A field's reason in Vietnamese; a generic one if the catalogue lacks it.
pub fn reason_vi(english: &str) -> String {
    phrase_vi(english).unwrap_or_else(|| "giá trị không hợp lệ".to_string())
}

/// Rewrites a problem body's human texts in Vietnamese.
pub fn localize_problem(problem: &mut Value) {
    let Some(obj) = problem.as_object_mut() else { return };
    let code = obj.get("code").and_then(Value::as_str).unwrap_or_default();
    let status = obj.get("status").and_then(Value::as_u64).unwrap_or(500);
    let (title, default_detail) = code_vi(code).unwrap_or_else(|| status_vi(status));
    obj.insert("title".into(), title.into());
    if let Some(detail) = obj.get("detail").and_then(Value::as_str) {
        let detail = phrase_vi(detail).unwrap_or_else(|| default_detail.to_string());
        obj.insert("detail".into(), detail.into());
    }
    if let Some(description) = obj.get("error_description").and_then(Value::as_str) {
        let description = phrase_vi(description).unwrap_or_else(|| default_detail.to_string());
        obj.insert("error_description".into(), description.into());
    }
    if let Some(params) = obj.get_mut("invalid_params").and_then(Value::as_array_mut) {
        for param in params {
            if let Some(reason) = param.get("reason").and_then(Value::as_str) {
                param["reason"] = reason_vi(reason).into();
            }
        }
    }
}

/// The values `{}` stand for in `template`, if `text` has its shape.
fn match_template<'a>(template: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let pieces: Vec<&str> = template.split("{}").collect();
    let mut rest = text.strip_prefix(pieces[0])?;
    let mut values = Vec::new();
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        if i == pieces.len() - 1 {
            values.push(rest.strip_suffix(piece)?);
            rest = "";
        } else {
            let at = rest.find(piece)?;
            values.push(&rest[..at]);
            rest = &rest[at + piece.len()..];
        }
    }
    rest.is_empty().then_some(values)
}

fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let index = rest[open + 1..].split_once('}').and_then(|(n, _)| n.parse::<usize>().ok());
        match index.and_then(|i| values.get(i).map(|v| (i, v))) {
            Some((i, value)) => {
                out.push_str(value);
                rest = &rest[open + i.to_string().len() + 2..];
            }
            None => {
                out.push('{');
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
