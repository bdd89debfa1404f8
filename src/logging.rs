//! Log set-up: env_logger's text lines by default, or one JSON object per line with
//! `THNCD_LOG_FORMAT=json` (for log collectors), carrying the request id when the line was
//! written while serving a request.

use std::io::Write;

/// The log line formats `THNCD_LOG_FORMAT` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    pub fn parse(value: Option<&str>) -> Result<LogFormat, String> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("text") => Ok(LogFormat::Text),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(format!("THNCD_LOG_FORMAT: `{other}` is neither `text` nor `json`")),
        }
    }
}

/// Installs the process logger (`RUST_LOG` filters, `info` by default). An unknown
/// `THNCD_LOG_FORMAT` falls back to text and says so.
pub fn init() {
    let mut builder = env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"));
    let format = LogFormat::parse(std::env::var("THNCD_LOG_FORMAT").ok().as_deref());
    if format == Ok(LogFormat::Json) {
        builder.format(|buf, record| writeln!(buf, "{}", json_line(record)));
    }
    builder.init();
    if let Err(e) = format {
        log::warn!("{e}; logging text lines");
    }
}

/// One log record as a JSON object: `ts`, `level`, `target`, `message` and, inside a
/// request, `request_id`.
pub fn json_line(record: &log::Record<'_>) -> String {
    let mut line = serde_json::json!({
        "ts": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "level": record.level().as_str(),
        "target": record.target(),
        "message": record.args().to_string(),
    });
    if let Some(id) = crate::http::request_id::current() {
        line["request_id"] = id.into();
    }
    line.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_format() {
        assert_eq!(LogFormat::parse(None), Ok(LogFormat::Text));
        assert_eq!(LogFormat::parse(Some("JSON")), Ok(LogFormat::Json));
        assert!(LogFormat::parse(Some("xml")).is_err());
    }

    #[test]
    fn a_json_line_is_one_object() {
        let line = json_line(
            &log::Record::builder()
                .args(format_args!("a \"quoted\"\nmessage"))
                .level(log::Level::Warn)
                .target("thncd::x")
                .build(),
        );
        assert!(!line.contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["level"], "WARN");
        assert_eq!(v["message"], "a \"quoted\"\nmessage");
        assert!(v.get("request_id").is_none());
    }
}
