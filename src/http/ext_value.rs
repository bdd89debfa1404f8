//! RFC 8187 `ext-value` header values (`UTF-8''%C4%90i%E1%BB%81u%20tra`): how a browser's
//! `fetch`, which cannot put non-ASCII text in a header, sends Vietnamese in `X-Audit-Reason`.

/// A header value that is not a valid RFC 8187 `ext-value` although it starts like one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadExtValue(pub &'static str);

/// Decodes a header value: an RFC 8187 `ext-value` (`charset'language'pct-encoded`, charset
/// `UTF-8`) is percent-decoded; any other value is returned as it is (plain ASCII, or raw
/// UTF-8 bytes from a non-browser client).
pub fn decode(raw: &str) -> Result<String, BadExtValue> {
    let Some((charset, rest)) = raw.split_once('\'') else { return Ok(raw.to_string()) };
    let Some((language, encoded)) = rest.split_once('\'') else { return Ok(raw.to_string()) };
    let is_token =
        !charset.is_empty() && charset.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&+^_`{}~-".contains(&b));
    let is_language = language.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !is_token || !is_language {
        // An apostrophe in plain text ("don't"), not an ext-value.
        return Ok(raw.to_string());
    }
    if !charset.eq_ignore_ascii_case("utf-8") {
        return Err(BadExtValue("the charset must be UTF-8 (RFC 8187: UTF-8''percent-encoded-text)"));
    }
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let byte = hex
                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or(BadExtValue("a `%` must be followed by two hexadecimal digits"))?;
                out.push(byte);
                i += 3;
            }
            b if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) => {
                out.push(b);
                i += 1;
            }
            _ => {
                return Err(BadExtValue(
                    "characters other than letters, digits and !#$&+-.^_`|~ must be percent-encoded",
                ))
            }
        }
    }
    let text = String::from_utf8(out).map_err(|_| BadExtValue("the percent-encoded bytes are not UTF-8"))?;
    if crate::text::has_control_chars(&text) || text.contains(['\n', '\r']) {
        return Err(BadExtValue("must not contain control characters or line breaks"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ext_values_decode_and_plain_text_passes() {
        let cases: [(&str, Result<&str, ()>); 12] = [
            ("UTF-8''%C4%90i%E1%BB%81u%20tra%20x%C3%A1c%20minh", Ok("Điều tra xác minh")),
            ("utf-8'vi'Chuy%E1%BB%83n%20c%C3%B4ng%20t%C3%A1c", Ok("Chuyển công tác")),
            ("UTF-8''plain-ascii.1", Ok("plain-ascii.1")),
            ("Annual review", Ok("Annual review")),
            ("don't 'quote' me", Ok("don't 'quote' me")),
            ("Chuyển công tác", Ok("Chuyển công tác")),
            ("UTF-8''%C4", Err(())),
            ("UTF-8''%ZZ", Err(())),
            ("UTF-8''%C4%9", Err(())),
            ("UTF-8''a b", Err(())),
            ("ISO-8859-1''caf%E9", Err(())),
            ("UTF-8''line%0Abreak", Err(())),
        ];
        for (raw, want) in cases {
            assert_eq!(decode(raw).map_err(|_| ()), want.map(str::to_string), "{raw}");
        }
    }
}
