//! `PATCH` bodies are JSON Merge Patches (RFC 7396): a member left out keeps its value, a
//! value replaces it, and `null` removes it. serde reads `null` and "left out" alike into an
//! `Option`, so the fields say which they are:
//!
//! - a field that may be cleared is an `Option<Option<T>>` read by [`nullable`]: `None` left
//!   out, `Some(None)` cleared, `Some(Some(v))` set;
//! - a field that cannot be cleared is an `Option<T>` read by [`not_null`]: `null` is refused
//!   (422 naming the field) instead of being ignored.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// A member that `null` clears (with `#[serde(default)]`, so that left out stays `None`).
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A member that cannot be cleared (with `#[serde(default)]`): `null` is an error.
pub fn not_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    match Option::<T>::deserialize(d)? {
        Some(v) => Ok(Some(v)),
        None => Err(D::Error::custom("must not be null: this field cannot be cleared")),
    }
}

/// The text a cleared or set member leaves: trimmed and normalised, empty text clears too.
pub fn text(value: &Option<String>) -> Option<String> {
    value.as_deref().map(crate::text::normalize).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        #[serde(default, deserialize_with = "super::nullable")]
        phone: Option<Option<String>>,
        #[serde(default, deserialize_with = "super::not_null")]
        name: Option<String>,
    }

    #[test]
    fn reads_left_out_null_and_values() {
        let read = |s: &str| crate::http::extract::parse_json::<Sample>(s.as_bytes());
        assert_eq!(read("{}").unwrap(), Sample { phone: None, name: None });
        assert_eq!(read(r#"{"phone":null}"#).unwrap(), Sample { phone: Some(None), name: None });
        assert_eq!(read(r#"{"phone":"0912","name":"An"}"#).unwrap().phone, Some(Some("0912".into())));
        let problem = read(r#"{"name":null}"#).unwrap_err().to_problem();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.invalid_params[0].name, "name");
    }
}
