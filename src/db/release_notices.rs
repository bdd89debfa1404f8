//! Pre-release notices from detention facilities, and the commune's address check.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::schema::release_notices as rn;
use super::DbConnection;
use crate::auth::Jurisdiction;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = rn)]
pub struct NoticeRow {
    pub id: String,
    pub person_id: String,
    pub unit_code: String,
    pub province_code: String,
    pub facility: String,
    pub notice_date: NaiveDate,
    pub expected_release_date: NaiveDate,
    pub counselling_sessions: i32,
    pub travel_allowance_vnd: i64,
    pub verification_due_on: NaiveDate,
    pub verified_on: Option<NaiveDate>,
    pub verification_result: Option<String>,
    pub verification_note: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

pub fn insert(conn: &mut DbConnection, row: &NoticeRow) -> ApiResult<()> {
    diesel::insert_into(rn::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_in(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<NoticeRow> {
    let q = rn::table.filter(rn::id.eq(id)).select(NoticeRow::as_select()).into_boxed();
    in_unit!(q, scope, rn::unit_code, rn::province_code).first(conn).optional()?.ok_or(ApiError::NotFound)
}

pub fn record_verification(
    conn: &mut DbConnection,
    id: &str,
    version: i32,
    verified_on: NaiveDate,
    result: &str,
    note: Option<&str>,
) -> ApiResult<()> {
    let n = diesel::update(rn::table.filter(rn::id.eq(id)).filter(rn::version.eq(version)))
        .set((
            rn::verified_on.eq(verified_on),
            rn::verification_result.eq(result),
            rn::verification_note.eq(note),
            rn::updated_at.eq(crate::time::now()),
            rn::version.eq(version + 1),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    Ok(())
}

#[derive(Debug, Default)]
pub struct Filter {
    pub unit: Option<Jurisdiction>,
    /// Unverified with the due date before `today`.
    pub overdue_on: Option<NaiveDate>,
    pub person_id: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<NoticeRow>, i64)> {
    let build = || {
        let mut q = in_unit!(rn::table.into_boxed(), scope, rn::unit_code, rn::province_code);
        if let Some(unit) = &f.unit {
            q = in_unit!(q, unit, rn::unit_code, rn::province_code);
        }
        if let Some(today) = f.overdue_on {
            q = q.filter(rn::verified_on.is_null()).filter(rn::verification_due_on.lt(today));
        }
        if let Some(pid) = &f.person_id {
            q = q.filter(rn::person_id.eq(pid.clone()));
        }
        q
    };
    let total: i64 = build().select(diesel::dsl::sql::<BigInt>("COUNT(*)")).first(conn)?;
    let rows = build()
        .select(NoticeRow::as_select())
        .order((rn::verification_due_on.asc(), rn::id.asc()))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}
