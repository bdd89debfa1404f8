//! The status history (what the reports count from) and the dated attribute changes of a
//! person, and the spans of a person's life in a unit.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::PersonRow;
use crate::auth::Jurisdiction;
use crate::db::json_text::JsonText;
use crate::db::schema::{person_attribute_changes as pac, person_status_history as psh, persons as p};
use crate::db::DbConnection;
use crate::db::OrNotFound;
use crate::domain::enums::PersonStatus;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = psh)]
pub struct StatusRow {
    pub id: String,
    pub person_id: String,
    pub seq: i32,
    pub from_status: Option<PersonStatus>,
    pub to_status: PersonStatus,
    pub occurred_on: NaiveDate,
    pub unit_code: String,
    pub province_code: String,
    pub reason: Option<String>,
    pub details: Option<JsonText<serde_json::Value>>,
    pub actor_sub: Option<String>,
    pub recorded_at: NaiveDateTime,
}

/// Appends a status change to the history (in the caller's transaction).
#[allow(clippy::too_many_arguments)]
pub fn record_status(
    conn: &mut DbConnection,
    person: &PersonRow,
    from: Option<PersonStatus>,
    to: PersonStatus,
    occurred_on: NaiveDate,
    reason: Option<&str>,
    details: Option<serde_json::Value>,
    actor: Option<&str>,
) -> ApiResult<StatusRow> {
    let last: Option<i32> =
        psh::table.filter(psh::person_id.eq(&person.id)).select(diesel::dsl::max(psh::seq)).first(conn)?;
    let row = StatusRow {
        id: uuid::Uuid::now_v7().to_string(),
        person_id: person.id.clone(),
        seq: last.unwrap_or(0) + 1,
        from_status: from,
        to_status: to,
        occurred_on,
        unit_code: person.unit_code.clone(),
        province_code: person.province_code.clone(),
        reason: reason.map(str::to_string),
        details: details.map(JsonText),
        actor_sub: actor.map(str::to_string),
        recorded_at: crate::time::now(),
    };
    diesel::insert_into(psh::table).values(&row).execute(conn)?;
    Ok(row)
}

pub fn status_history(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<StatusRow>> {
    Ok(psh::table
        .filter(psh::person_id.eq(person_id))
        .order(psh::seq.asc())
        .select(StatusRow::as_select())
        .load(conn)?)
}

pub fn last_status_date(conn: &mut DbConnection, person_id: &str) -> ApiResult<Option<NaiveDate>> {
    Ok(psh::table.filter(psh::person_id.eq(person_id)).select(diesel::dsl::max(psh::occurred_on)).first(conn)?)
}

/// The person's registration: the earliest date of its status history (the notice of
/// release, or a reception recorded with an earlier date).
pub fn first_status_date(conn: &mut DbConnection, person_id: &str) -> ApiResult<Option<NaiveDate>> {
    Ok(psh::table.filter(psh::person_id.eq(person_id)).select(diesel::dsl::min(psh::occurred_on)).first(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = pac)]
pub struct AttributeChange {
    pub id: String,
    pub person_id: String,
    pub attribute: String,
    pub value: Option<String>,
    pub changed_on: NaiveDate,
    pub reason: Option<String>,
    pub actor_sub: Option<String>,
    pub recorded_at: NaiveDateTime,
}

pub fn record_attribute(conn: &mut DbConnection, change: &AttributeChange) -> ApiResult<()> {
    crate::db::insert(conn, pac::table, change)
}

pub fn attribute_history(
    conn: &mut DbConnection,
    person_id: &str,
    attributes: &[&str],
) -> ApiResult<Vec<AttributeChange>> {
    Ok(pac::table
        .filter(pac::person_id.eq(person_id))
        .filter(pac::attribute.eq_any(attributes))
        .order(pac::id.asc())
        .select(AttributeChange::as_select())
        .load(conn)?)
}

/// The commune (and its province) where the person was managed (received or under
/// management) on `day`, among the changes recorded inside `scope`; `None` when the day
/// lies outside every such span there.
pub fn managed_unit_on(
    conn: &mut DbConnection,
    person_id: &str,
    scope: &Jurisdiction,
    day: NaiveDate,
) -> ApiResult<Option<(String, String)>> {
    let q = psh::table
        .filter(psh::person_id.eq(person_id))
        .filter(psh::to_status.eq_any(["received", "under_management"]))
        .filter(psh::occurred_on.le(day))
        .filter(psh::valid_until.is_null().or(psh::valid_until.gt(day)))
        .order((psh::occurred_on.desc(), psh::seq.desc()))
        .select((psh::unit_code, psh::province_code))
        .into_boxed();
    let q = match scope {
        Jurisdiction::National => q,
        Jurisdiction::Province(code) => q.filter(psh::province_code.eq(code.clone())),
        Jurisdiction::Commune(code) => q.filter(psh::unit_code.eq(code.clone())),
    };
    Ok(q.first(conn).optional()?)
}

/// A person who has lived in `scope` (a status change recorded there), even one who has
/// since moved elsewhere: records of the time they were managed there may still be entered.
pub fn find_with_history_in(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<PersonRow> {
    let q = psh::table.filter(psh::person_id.eq(id)).select(psh::person_id).into_boxed();
    let q = match scope {
        Jurisdiction::National => q,
        Jurisdiction::Province(code) => q.filter(psh::province_code.eq(code.clone())),
        Jurisdiction::Commune(code) => q.filter(psh::unit_code.eq(code.clone())),
    };
    let seen: Option<String> = q.first(conn).optional()?;
    if seen.is_none() {
        return Err(ApiError::NotFound);
    }
    p::table.filter(p::id.eq(id)).select(PersonRow::as_select()).first(conn).or_not_found()
}
