//! Schemas of text query parameters that take one of a few words, so the contract lists
//! them as enums (`#[param(schema_with = …)]`); the handlers check the same words.

use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Object;

fn one_of(values: &[&str]) -> Object {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values.iter().copied())).build()
}

pub fn json_csv() -> Object {
    one_of(&["json", "csv"])
}

pub fn json_csv_xlsx() -> Object {
    one_of(&["json", "csv", "xlsx"])
}

pub fn csv_xlsx() -> Object {
    one_of(&["csv", "xlsx"])
}

pub fn csv_xlsx_html() -> Object {
    one_of(&["csv", "xlsx", "html"])
}

pub fn unit_level() -> Object {
    one_of(&["national", "province", "commune"])
}

pub fn exact_or_auto() -> Object {
    one_of(&["auto", "exact"])
}

pub fn person_sort() -> Object {
    let words: Vec<&str> = crate::auth::fields::PERSON_SORTS.iter().map(|(word, _)| *word).collect();
    one_of(&words)
}

pub fn person_list() -> Object {
    let words: Vec<&str> = crate::auth::fields::EXPORT_LISTS.iter().map(|(word, _)| *word).collect();
    one_of(&words)
}

pub fn delivery_status() -> Object {
    one_of(&["pending", "retrying", "delivered", "dead", "cancelled"])
}
