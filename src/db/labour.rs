//! The labour office's records: trainings, job referrals, social assistance, employers.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{employers as e, job_referrals as jr, social_assistance as sx, trainings as t};
use super::DbConnection;
use super::OrNotFound;
use crate::auth::Jurisdiction;
use crate::domain::enums::{AssistanceKind, ReferralOutcome, TrainingLevel};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = t)]
pub struct TrainingRow {
    pub id: String,
    pub person_id: String,
    pub unit_code: String,
    pub province_code: String,
    pub course: String,
    pub provider: Option<String>,
    pub level: TrainingLevel,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub result: Option<String>,
    pub certificate: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = jr)]
pub struct ReferralRow {
    pub id: String,
    pub person_id: String,
    pub unit_code: String,
    pub province_code: String,
    pub employer_id: Option<String>,
    pub employer_name: String,
    pub referred_on: NaiveDate,
    pub job: String,
    pub outcome: ReferralOutcome,
    pub outcome_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = sx)]
pub struct AssistanceRow {
    pub id: String,
    pub person_id: String,
    pub unit_code: String,
    pub province_code: String,
    pub kind: AssistanceKind,
    pub decision_number: Option<String>,
    pub amount_vnd: i64,
    pub period_from: NaiveDate,
    pub period_to: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = e)]
pub struct EmployerRow {
    pub id: String,
    pub name: String,
    pub name_folded: String,
    pub unit_code: String,
    pub province_code: String,
    pub sector: Option<String>,
    pub legal_form: Option<String>,
    pub contact: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

pub fn insert_training(conn: &mut DbConnection, row: &TrainingRow) -> ApiResult<()> {
    super::insert(conn, t::table, row)
}

pub fn trainings(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<TrainingRow>> {
    Ok(t::table
        .filter(t::person_id.eq(person_id))
        .order(t::start_date.asc())
        .select(TrainingRow::as_select())
        .load(conn)?)
}

pub fn insert_referral(conn: &mut DbConnection, row: &ReferralRow) -> ApiResult<()> {
    super::insert(conn, jr::table, row)
}

pub fn referrals(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<ReferralRow>> {
    Ok(jr::table
        .filter(jr::person_id.eq(person_id))
        .order(jr::referred_on.asc())
        .select(ReferralRow::as_select())
        .load(conn)?)
}

pub fn find_referral(conn: &mut DbConnection, person_id: &str, id: &str) -> ApiResult<ReferralRow> {
    jr::table
        .filter(jr::id.eq(id))
        .filter(jr::person_id.eq(person_id))
        .select(ReferralRow::as_select())
        .first(conn)
        .or_not_found()
}

pub fn set_referral_outcome(conn: &mut DbConnection, row: &ReferralRow, outcome: &str, on: NaiveDate) -> ApiResult<()> {
    let n = diesel::update(jr::table.filter(jr::id.eq(&row.id)).filter(jr::version.eq(row.version)))
        .set((
            jr::outcome.eq(outcome),
            jr::outcome_on.eq(on),
            jr::updated_at.eq(crate::time::now()),
            jr::version.eq(row.version + 1),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    Ok(())
}

pub fn insert_assistance(conn: &mut DbConnection, row: &AssistanceRow) -> ApiResult<()> {
    super::insert(conn, sx::table, row)
}

pub fn assistance(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<AssistanceRow>> {
    Ok(sx::table
        .filter(sx::person_id.eq(person_id))
        .order(sx::period_from.asc())
        .select(AssistanceRow::as_select())
        .load(conn)?)
}

macro_rules! employers_in {
    ($query:expr, $scope:expr) => {
        match $scope {
            Jurisdiction::National => $query,
            Jurisdiction::Province(code) => $query.filter(e::province_code.eq(code.clone())),
            Jurisdiction::Commune(code) => $query.filter(e::unit_code.eq(code.clone())),
        }
    };
}

pub fn insert_employer(conn: &mut DbConnection, row: &EmployerRow) -> ApiResult<()> {
    super::insert(conn, e::table, row)
}

/// Employers are shared within a province, so a commune's referral may name one registered
/// by the province or a neighbouring commune.
pub fn find_employer_in_province(conn: &mut DbConnection, province: &str, id: &str) -> ApiResult<EmployerRow> {
    e::table
        .filter(e::id.eq(id))
        .filter(e::province_code.eq(province))
        .select(EmployerRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::invalid("employer_id", "no such employer in the person's province"))
}

pub struct EmployerFilter {
    pub unit: Option<Jurisdiction>,
    pub q: Option<String>,
    pub sector: Option<String>,
}

/// Employers with the number of returnees hired through referrals (one grouped query).
pub fn list_employers(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    f: &EmployerFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<(EmployerRow, i64)>, i64)> {
    let build = || {
        let mut q = employers_in!(e::table.into_boxed(), scope);
        if let Some(u) = &f.unit {
            q = employers_in!(q, u);
        }
        if let Some(text) = &f.q {
            q = q.filter(e::name_folded.like(super::like_contains(&crate::text::fold(text))).escape('\\'));
        }
        if let Some(s) = &f.sector {
            q = q.filter(e::sector.eq(s.clone()));
        }
        q
    };
    let (rows, total) = paged!(conn, build, EmployerRow, (e::name.asc(), e::id.asc()), offset, limit);
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let counts: Vec<(Option<String>, i64)> = jr::table
        .filter(jr::employer_id.eq_any(&ids))
        .filter(jr::outcome.eq("hired"))
        .group_by(jr::employer_id)
        .select((jr::employer_id, diesel::dsl::count_star()))
        .load(conn)?;
    let with_counts = rows
        .into_iter()
        .map(|r| {
            let n = counts.iter().find(|(id, _)| id.as_deref() == Some(r.id.as_str())).map(|(_, n)| *n).unwrap_or(0);
            (r, n)
        })
        .collect();
    Ok((with_counts, total))
}
