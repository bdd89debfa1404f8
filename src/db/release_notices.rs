//! Pre-release notices from detention facilities, and the commune's address check.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::persons as p;
use super::schema::release_notices as rn;
use super::DbConnection;
use super::OrNotFound;
use crate::auth::{Auth, Jurisdiction};
use crate::domain::enums::{Gender, VerificationResult};
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
    pub verification_result: Option<VerificationResult>,
    pub verification_note: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    /// The principal that sent the notice (a facility reads back only its own).
    pub created_by: Option<String>,
    pub counselling_held_on: Option<NaiveDate>,
    pub travel_allowance_paid_on: Option<NaiveDate>,
}

/// The notices a caller reaches: those addressed to its unit, or, for a facility, the
/// notices it sent, wherever they are addressed ("records I created", in the query).
#[derive(Debug, Clone)]
pub struct NoticeScope {
    pub jurisdiction: Jurisdiction,
    pub created_by: Option<String>,
}

impl NoticeScope {
    pub fn of(auth: &Auth) -> NoticeScope {
        match auth.created_only() {
            Some(sub) => NoticeScope { jurisdiction: Jurisdiction::National, created_by: Some(sub.to_string()) },
            None => NoticeScope { jurisdiction: auth.jurisdiction.clone(), created_by: None },
        }
    }
}

macro_rules! notice_scoped {
    ($query:expr, $scope:expr) => {{
        let scope: &NoticeScope = $scope;
        let q = in_unit!($query, &scope.jurisdiction, rn::unit_code, rn::province_code);
        match &scope.created_by {
            Some(sub) => q.filter(rn::created_by.eq(sub.clone())),
            None => q,
        }
    }};
}

/// The identity fields of the persons named in notices (every reader of a notice sees them).
#[derive(Debug, Clone, Queryable)]
pub struct NoticePersonRow {
    pub id: String,
    pub full_name: String,
    pub gender: Gender,
    pub date_of_birth: Option<NaiveDate>,
    pub id_number: Option<String>,
}

pub fn identities(
    conn: &mut DbConnection,
    rows: &[NoticeRow],
) -> ApiResult<std::collections::HashMap<String, NoticePersonRow>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.person_id.as_str()).collect();
    let found: Vec<NoticePersonRow> = p::table
        .filter(p::id.eq_any(ids))
        .select((p::id, p::full_name, p::gender, p::date_of_birth, p::id_number))
        .load(conn)?;
    Ok(found.into_iter().map(|r| (r.id.clone(), r)).collect())
}

pub fn insert(conn: &mut DbConnection, row: &NoticeRow) -> ApiResult<()> {
    super::insert(conn, rn::table, row)
}

pub fn find_in(conn: &mut DbConnection, scope: &NoticeScope, id: &str) -> ApiResult<NoticeRow> {
    let q = rn::table.filter(rn::id.eq(id)).select(NoticeRow::as_select()).into_boxed();
    notice_scoped!(q, scope).first(conn).or_not_found()
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
    scope: &NoticeScope,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<NoticeRow>, i64)> {
    let build = || {
        let mut q = notice_scoped!(rn::table.into_boxed(), scope);
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
    Ok(paged!(conn, build, NoticeRow, (rn::verification_due_on.asc(), rn::id.asc()), offset, limit))
}
