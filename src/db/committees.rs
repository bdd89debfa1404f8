//! Steering committees, their members and consolidations.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    committee_consolidations as cc, committee_members as cm, steering_committees as sc, supervision_assignments as sa,
};
use super::DbConnection;
use super::OrNotFound;
use crate::auth::Jurisdiction;
use crate::domain::enums::{CommitteeBody, CommitteeStatus, MemberRole, Organisation};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = sc)]
pub struct CommitteeRow {
    pub id: String,
    pub unit_code: String,
    pub province_code: String,
    pub name: String,
    pub working_group_name: Option<String>,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub signer: Option<String>,
    pub status: CommitteeStatus,
    pub dissolution_decision_number: Option<String>,
    pub dissolved_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = cm)]
pub struct MemberRow {
    pub id: String,
    pub committee_id: String,
    pub body: CommitteeBody,
    pub role: MemberRole,
    pub full_name: String,
    pub title: Option<String>,
    pub organisation: Option<Organisation>,
    pub contact: Option<String>,
    pub account_id: Option<String>,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub consolidation_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = cc)]
pub struct ConsolidationRow {
    pub id: String,
    pub committee_id: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub note: Option<String>,
    pub changes: String,
    pub actor_sub: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &CommitteeRow) -> ApiResult<()> {
    let active: i64 =
        sc::table.filter(sc::unit_code.eq(&row.unit_code)).filter(sc::status.eq("active")).count().get_result(conn)?;
    if active > 0 {
        return Err(ApiError::conflict("committee_exists", "the commune already has an active steering committee"));
    }
    diesel::insert_into(sc::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_in(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<CommitteeRow> {
    let q = sc::table.filter(sc::id.eq(id)).select(CommitteeRow::as_select()).into_boxed();
    in_unit!(q, scope, sc::unit_code, sc::province_code).first(conn).or_not_found()
}

pub fn list(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    unit: Option<&Jurisdiction>,
    status: Option<&str>,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<CommitteeRow>, i64)> {
    let build = || {
        let mut q = in_unit!(sc::table.into_boxed(), scope, sc::unit_code, sc::province_code);
        if let Some(u) = unit {
            q = in_unit!(q, u, sc::unit_code, sc::province_code);
        }
        if let Some(s) = status {
            q = q.filter(sc::status.eq(s.to_string()));
        }
        q
    };
    Ok(paged!(conn, build, CommitteeRow, (sc::unit_code.asc(), sc::decision_date.desc()), offset, limit))
}

pub fn dissolve(conn: &mut DbConnection, c: &CommitteeRow, decision: &str, on: NaiveDate) -> ApiResult<()> {
    let n = diesel::update(sc::table.filter(sc::id.eq(&c.id)).filter(sc::version.eq(c.version)))
        .set((
            sc::status.eq("dissolved"),
            sc::dissolution_decision_number.eq(decision),
            sc::dissolved_on.eq(on),
            sc::updated_at.eq(crate::time::now()),
            sc::version.eq(c.version + 1),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    Ok(())
}

/// Bumps the committee's version so concurrent membership changes serialise.
pub fn touch(conn: &mut DbConnection, c: &CommitteeRow) -> ApiResult<()> {
    let n = diesel::update(sc::table.filter(sc::id.eq(&c.id)).filter(sc::version.eq(c.version)))
        .set((sc::updated_at.eq(crate::time::now()), sc::version.eq(c.version + 1)))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::conflict("concurrent_change", "the committee changed meanwhile; retry"));
    }
    Ok(())
}

pub fn members(conn: &mut DbConnection, committee_id: &str) -> ApiResult<Vec<MemberRow>> {
    Ok(cm::table
        .filter(cm::committee_id.eq(committee_id))
        .order((cm::from_date.asc(), cm::id.asc()))
        .select(MemberRow::as_select())
        .load(conn)?)
}

pub fn insert_member(conn: &mut DbConnection, row: &MemberRow) -> ApiResult<()> {
    super::insert(conn, cm::table, row)
}

pub fn end_member(conn: &mut DbConnection, id: &str, to: NaiveDate, reason: Option<&str>) -> ApiResult<()> {
    let n = diesel::update(cm::table.filter(cm::id.eq(id)).filter(cm::to_date.is_null()))
        .set((
            cm::to_date.eq(to),
            cm::end_reason.eq(reason),
            cm::updated_at.eq(crate::time::now()),
            cm::version.eq(cm::version + 1),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::conflict("member_ended", "the member has already left"));
    }
    Ok(())
}

pub fn insert_consolidation(conn: &mut DbConnection, row: &ConsolidationRow) -> ApiResult<()> {
    super::insert(conn, cc::table, row)
}

pub fn consolidations(conn: &mut DbConnection, committee_id: &str) -> ApiResult<Vec<ConsolidationRow>> {
    Ok(cc::table
        .filter(cc::committee_id.eq(committee_id))
        .order(cc::decision_date.asc())
        .select(ConsolidationRow::as_select())
        .load(conn)?)
}

/// Active supervision assignments held by a committee member.
pub fn open_assignments(conn: &mut DbConnection, member_id: &str) -> ApiResult<Vec<String>> {
    Ok(sa::table
        .filter(sa::committee_member_id.eq(member_id))
        .filter(sa::to_date.is_null())
        .select(sa::id)
        .load(conn)?)
}

/// A member of an active committee in the given commune (for assignments).
pub fn member_in_unit(conn: &mut DbConnection, member_id: &str, unit: &str) -> ApiResult<Option<MemberRow>> {
    Ok(cm::table
        .inner_join(sc::table.on(sc::id.eq(cm::committee_id)))
        .filter(cm::id.eq(member_id))
        .filter(sc::unit_code.eq(unit))
        .filter(cm::to_date.is_null())
        .select(MemberRow::as_select())
        .first(conn)
        .optional()?)
}
