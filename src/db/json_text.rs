//! JSON kept in a `Text` column, typed: `JsonText<T>` writes `T` as JSON text and reads it
//! back as `T` on both backends. A stored text that is not JSON, or not a `T`, is a
//! deserialization error (a logged 500), never an empty default.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::MultiBackend;

/// A value stored as JSON text.
///
/// In a row's own serialisation (the audit trail's before/after) it stays the JSON text it
/// is in the column, as when the field was a `String`.
#[derive(Debug, Clone, Default, PartialEq, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct JsonText<T>(pub T);

impl<T> std::ops::Deref for JsonText<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Serialize> Serialize for JsonText<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(&self.0).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

fn parse<T: DeserializeOwned>(text: &str) -> deserialize::Result<JsonText<T>> {
    serde_json::from_str(text)
        .map(JsonText)
        .map_err(|e| format!("unexpected JSON in the database for {}: {e}", std::any::type_name::<T>()).into())
}

impl<T: Serialize + std::fmt::Debug> ToSql<Text, Sqlite> for JsonText<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(serde_json::to_string(&self.0)?);
        Ok(IsNull::No)
    }
}

impl<T: Serialize + std::fmt::Debug> ToSql<Text, Pg> for JsonText<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        serde_json::to_writer(out, &self.0)?;
        Ok(IsNull::No)
    }
}

impl<T: Serialize + std::fmt::Debug + Send + Sync + 'static> ToSql<Text, MultiBackend> for JsonText<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((Text, self));
        Ok(IsNull::No)
    }
}

impl<T: DeserializeOwned> FromSql<Text, Sqlite> for JsonText<T> {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        parse(&<String as FromSql<Text, Sqlite>>::from_sql(bytes)?)
    }
}

impl<T: DeserializeOwned> FromSql<Text, Pg> for JsonText<T> {
    fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        parse(&<String as FromSql<Text, Pg>>::from_sql(bytes)?)
    }
}

impl<T: DeserializeOwned> FromSql<Text, MultiBackend> for JsonText<T> {
    fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        bytes.from_sql::<JsonText<T>, Text>()
    }
}
