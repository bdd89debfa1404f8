//! Loans, their postings, events and checks; monthly eligibility lists; the rate table.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::schema::{
    loan_checks as lc, loan_events as le, loan_list_entries as lle, loan_lists as ll, loan_postings as lp,
    loan_rates as lr, loans as l, persons as p,
};
use super::DbConnection;
use super::OrNotFound;
use crate::auth::Jurisdiction;
use crate::domain::enums::{BorrowerKind, EntrustingOrganisation, LoanListStatus, LoanProgramme, LoanStatus};
use crate::domain::loan_rules::Purpose;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = lr)]
pub struct RateRow {
    pub id: String,
    pub effective_from: NaiveDate,
    pub annual_rate_bp: i32,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn rates(conn: &mut DbConnection) -> ApiResult<Vec<RateRow>> {
    Ok(lr::table.order(lr::effective_from.asc()).select(RateRow::as_select()).load(conn)?)
}

pub fn insert_rate(conn: &mut DbConnection, row: &RateRow) -> ApiResult<()> {
    let exists: i64 = lr::table.filter(lr::effective_from.eq(row.effective_from)).count().get_result(conn)?;
    if exists > 0 {
        return Err(ApiError::conflict("rate_exists", "a rate already takes effect on that date"));
    }
    diesel::insert_into(lr::table).values(row).execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = ll)]
pub struct ListRow {
    pub id: String,
    pub unit_code: String,
    pub province_code: String,
    pub month: String,
    pub version_no: i32,
    pub status: LoanListStatus,
    pub supersedes_id: Option<String>,
    pub certified_decision_number: Option<String>,
    pub certified_on: Option<NaiveDate>,
    pub sent_on: Option<NaiveDate>,
    pub acknowledged_on: Option<NaiveDate>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = lle)]
pub struct EntryRow {
    pub id: String,
    pub list_id: String,
    pub person_id: String,
    pub purpose: Purpose,
    pub amount_wished_vnd: i64,
    pub note: Option<String>,
}

pub fn latest_list(conn: &mut DbConnection, unit: &str, month: &str) -> ApiResult<Option<ListRow>> {
    Ok(ll::table
        .filter(ll::unit_code.eq(unit))
        .filter(ll::month.eq(month))
        .order(ll::version_no.desc())
        .select(ListRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_list(conn: &mut DbConnection, row: &ListRow, entries: &[EntryRow]) -> ApiResult<()> {
    diesel::insert_into(ll::table).values(row).execute(conn)?;
    for e in entries {
        diesel::insert_into(lle::table).values(e).execute(conn)?;
    }
    Ok(())
}

pub fn find_list(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<ListRow> {
    let q = ll::table.filter(ll::id.eq(id)).select(ListRow::as_select()).into_boxed();
    in_unit!(q, scope, ll::unit_code, ll::province_code).first(conn).or_not_found()
}

/// Entries with the person's name (one join, no N+1).
pub fn entries(conn: &mut DbConnection, list_id: &str) -> ApiResult<Vec<(EntryRow, String)>> {
    Ok(lle::table
        .inner_join(p::table.on(p::id.eq(lle::person_id)))
        .filter(lle::list_id.eq(list_id))
        .order(p::full_name.asc())
        .select((EntryRow::as_select(), p::full_name))
        .load(conn)?)
}

pub fn update_list_status(
    conn: &mut DbConnection,
    list: &ListRow,
    status: LoanListStatus,
    set_date: (&str, NaiveDate),
    decision: Option<&str>,
) -> ApiResult<()> {
    let base = ll::table.filter(ll::id.eq(&list.id)).filter(ll::version.eq(list.version));
    let now = crate::time::now();
    let n = match set_date.0 {
        "certified" => diesel::update(base)
            .set((
                ll::status.eq(status),
                ll::certified_on.eq(set_date.1),
                ll::certified_decision_number.eq(decision),
                ll::updated_at.eq(now),
                ll::version.eq(list.version + 1),
            ))
            .execute(conn)?,
        "sent" => diesel::update(base)
            .set((
                ll::status.eq(status),
                ll::sent_on.eq(set_date.1),
                ll::updated_at.eq(now),
                ll::version.eq(list.version + 1),
            ))
            .execute(conn)?,
        _ => diesel::update(base)
            .set((
                ll::status.eq(status),
                ll::acknowledged_on.eq(set_date.1),
                ll::updated_at.eq(now),
                ll::version.eq(list.version + 1),
            ))
            .execute(conn)?,
    };
    if n == 0 {
        return Err(ApiError::conflict("concurrent_change", "the list changed meanwhile; retry"));
    }
    Ok(())
}

pub fn list_lists(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    unit: Option<&Jurisdiction>,
    month: Option<&str>,
    status: Option<&str>,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<ListRow>, i64)> {
    let build = || {
        let mut q = in_unit!(ll::table.into_boxed(), scope, ll::unit_code, ll::province_code);
        if let Some(u) = unit {
            q = in_unit!(q, u, ll::unit_code, ll::province_code);
        }
        if let Some(m) = month {
            q = q.filter(ll::month.eq(m.to_string()));
        }
        if let Some(s) = status {
            q = q.filter(ll::status.eq(s.to_string()));
        }
        q
    };
    Ok(paged!(conn, build, ListRow, (ll::month.desc(), ll::unit_code.asc(), ll::version_no.desc()), offset, limit))
}

/// Whether the person is on a certified (or sent/acknowledged) list of the month for the purpose.
pub fn on_certified_list(conn: &mut DbConnection, person_id: &str, month: &str, purpose: &str) -> ApiResult<bool> {
    let n: i64 = lle::table
        .inner_join(ll::table.on(ll::id.eq(lle::list_id)))
        .filter(lle::person_id.eq(person_id))
        .filter(lle::purpose.eq(purpose))
        .filter(ll::month.eq(month))
        .filter(ll::status.ne("draft"))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = l)]
pub struct LoanRow {
    pub id: String,
    pub unit_code: String,
    pub province_code: String,
    pub borrower_kind: BorrowerKind,
    pub person_id: Option<String>,
    pub household_rep_name: Option<String>,
    pub household_rep_id_number: Option<String>,
    pub establishment_name: Option<String>,
    pub establishment_registration: Option<String>,
    pub workforce: Option<i32>,
    pub qualifying_employees: Option<i32>,
    pub plan_certified: bool,
    pub collateral: bool,
    pub collateral_description: Option<String>,
    pub outstanding_same_purpose: bool,
    pub purpose: Purpose,
    pub course_name: Option<String>,
    pub course_months: Option<i32>,
    pub amount_vnd: i64,
    pub term_months: i32,
    pub entrusting_organisation: Option<EntrustingOrganisation>,
    pub savings_group: Option<String>,
    pub application_date: NaiveDate,
    pub status: LoanStatus,
    pub status_reason: Option<String>,
    pub approved_amount_vnd: Option<i64>,
    pub approved_on: Option<NaiveDate>,
    pub rate_bp: Option<i32>,
    pub due_on: Option<NaiveDate>,
    pub disbursed_total_vnd: i64,
    pub principal_repaid_vnd: i64,
    pub interest_paid_vnd: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    /// `decision_22` or another Social Policy Bank programme (`LoanProgramme`).
    pub programme: LoanProgramme,
    /// The name of an `other` programme.
    pub programme_name: Option<String>,
}

#[derive(AsChangeset)]
#[diesel(table_name = l, treat_none_as_null = true)]
struct LoanChanges<'a> {
    status: LoanStatus,
    status_reason: Option<&'a str>,
    outstanding_same_purpose: bool,
    approved_amount_vnd: Option<i64>,
    approved_on: Option<NaiveDate>,
    rate_bp: Option<i32>,
    due_on: Option<NaiveDate>,
    disbursed_total_vnd: i64,
    principal_repaid_vnd: i64,
    interest_paid_vnd: i64,
    updated_at: NaiveDateTime,
    version: i32,
}

pub fn insert_loan(conn: &mut DbConnection, row: &LoanRow) -> ApiResult<()> {
    super::insert(conn, l::table, row)
}

pub fn find_loan(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<LoanRow> {
    let q = l::table.filter(l::id.eq(id)).select(LoanRow::as_select()).into_boxed();
    in_unit!(q, scope, l::unit_code, l::province_code).first(conn).or_not_found()
}

/// Same, locking the row on PostgreSQL so concurrent postings serialise on it (SQLite's
/// `BEGIN IMMEDIATE` already serialises writers).
pub fn find_loan_for_update(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<LoanRow> {
    let row = find_loan(conn, scope, id)?;
    match conn {
        DbConnection::Postgresql(c) => {
            Ok(l::table.filter(l::id.eq(&row.id)).for_update().select(LoanRow::as_select()).first(c)?)
        }
        DbConnection::Sqlite(_) => Ok(row),
    }
}

/// Saves the mutable part of a loan if still at `expected_version`.
pub fn save_loan(conn: &mut DbConnection, row: &LoanRow, expected_version: i32) -> ApiResult<LoanRow> {
    let now = crate::time::now();
    let n = diesel::update(l::table.filter(l::id.eq(&row.id)).filter(l::version.eq(expected_version)))
        .set(LoanChanges {
            status: row.status,
            status_reason: row.status_reason.as_deref(),
            outstanding_same_purpose: row.outstanding_same_purpose,
            approved_amount_vnd: row.approved_amount_vnd,
            approved_on: row.approved_on,
            rate_bp: row.rate_bp,
            due_on: row.due_on,
            disbursed_total_vnd: row.disbursed_total_vnd,
            principal_repaid_vnd: row.principal_repaid_vnd,
            interest_paid_vnd: row.interest_paid_vnd,
            updated_at: now,
            version: expected_version + 1,
        })
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::conflict("concurrent_change", "the loan changed meanwhile; retry"));
    }
    Ok(LoanRow { updated_at: now, version: expected_version + 1, ..row.clone() })
}

pub fn has_outstanding_same_purpose(
    conn: &mut DbConnection,
    person_id: &str,
    purpose: &str,
    except: &str,
) -> ApiResult<bool> {
    let n: i64 = l::table
        .filter(l::person_id.eq(person_id))
        .filter(l::purpose.eq(purpose))
        .filter(l::id.ne(except))
        .filter(l::status.eq_any(["approved", "disbursed", "repaying", "overdue", "recovery"]))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub struct LoanFilter {
    pub unit: Option<Jurisdiction>,
    pub status: Option<String>,
    pub person_id: Option<String>,
}

pub fn list_loans(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    f: &LoanFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<LoanRow>, i64)> {
    let build = || {
        let mut q = in_unit!(l::table.into_boxed(), scope, l::unit_code, l::province_code);
        if let Some(u) = &f.unit {
            q = in_unit!(q, u, l::unit_code, l::province_code);
        }
        if let Some(s) = &f.status {
            q = q.filter(l::status.eq(s.clone()));
        }
        if let Some(pid) = &f.person_id {
            q = q.filter(l::person_id.eq(pid.clone()));
        }
        q
    };
    Ok(paged!(conn, build, LoanRow, (l::application_date.desc(), l::id.desc()), offset, limit))
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = lp)]
pub struct PostingRow {
    pub id: String,
    pub loan_id: String,
    pub kind: String,
    pub principal_vnd: i64,
    pub interest_vnd: i64,
    pub value_date: NaiveDate,
    pub bank_reference: String,
    pub actor_sub: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert_posting(conn: &mut DbConnection, row: &PostingRow) -> ApiResult<()> {
    let taken: i64 = lp::table.filter(lp::bank_reference.eq(&row.bank_reference)).count().get_result(conn)?;
    if taken > 0 {
        return Err(ApiError::conflict("duplicate_bank_reference", "this bank reference was already posted"));
    }
    diesel::insert_into(lp::table).values(row).execute(conn)?;
    Ok(())
}

/// What a loan's view reads besides its row, for a whole page at once: postings, recorded
/// steps and borrower names, one query each whatever the number of loans (no N+1).
#[derive(Default)]
pub struct LoanDetails {
    pub postings: HashMap<String, Vec<PostingRow>>,
    pub steps: HashMap<String, Vec<(String, NaiveDate)>>,
    pub names: HashMap<String, String>,
}

impl LoanDetails {
    pub fn postings_of(&self, loan_id: &str) -> &[PostingRow] {
        self.postings.get(loan_id).map_or(&[], Vec::as_slice)
    }

    pub fn steps_of(&self, loan_id: &str) -> &[(String, NaiveDate)] {
        self.steps.get(loan_id).map_or(&[], Vec::as_slice)
    }
}

pub fn details(conn: &mut DbConnection, loans: &[LoanRow]) -> ApiResult<LoanDetails> {
    if loans.is_empty() {
        return Ok(LoanDetails::default());
    }
    let ids: Vec<&str> = loans.iter().map(|l| l.id.as_str()).collect();
    let mut out = LoanDetails::default();
    let postings: Vec<PostingRow> = lp::table
        .filter(lp::loan_id.eq_any(&ids))
        .order((lp::loan_id.asc(), lp::value_date.asc(), lp::id.asc()))
        .select(PostingRow::as_select())
        .load(conn)?;
    for posting in postings {
        out.postings.entry(posting.loan_id.clone()).or_default().push(posting);
    }
    let steps: Vec<(String, String, NaiveDate)> = le::table
        .filter(le::loan_id.eq_any(&ids))
        .order((le::loan_id.asc(), le::occurred_on.asc(), le::recorded_at.asc(), le::id.asc()))
        .select((le::loan_id, le::to_status, le::occurred_on))
        .load(conn)?;
    for (loan_id, status, on) in steps {
        out.steps.entry(loan_id).or_default().push((status, on));
    }
    let mut person_ids: Vec<&str> = loans.iter().filter_map(|l| l.person_id.as_deref()).collect();
    person_ids.sort_unstable();
    person_ids.dedup();
    if !person_ids.is_empty() {
        out.names = p::table
            .filter(p::id.eq_any(&person_ids))
            .select((p::id, p::full_name))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
    }
    Ok(out)
}

/// The loan's recorded steps as (status reached, day), oldest first.
pub fn step_dates(conn: &mut DbConnection, loan_id: &str) -> ApiResult<Vec<(String, NaiveDate)>> {
    Ok(le::table
        .filter(le::loan_id.eq(loan_id))
        .order((le::occurred_on.asc(), le::recorded_at.asc(), le::id.asc()))
        .select((le::to_status, le::occurred_on))
        .load(conn)?)
}

pub fn record_event(
    conn: &mut DbConnection,
    loan_id: &str,
    from: &str,
    to: &str,
    on: NaiveDate,
    reason: Option<&str>,
    actor: &str,
) -> ApiResult<()> {
    diesel::insert_into(le::table)
        .values((
            le::id.eq(uuid::Uuid::now_v7().to_string()),
            le::loan_id.eq(loan_id),
            le::from_status.eq(from),
            le::to_status.eq(to),
            le::occurred_on.eq(on),
            le::reason.eq(reason),
            le::actor_sub.eq(actor),
            le::recorded_at.eq(crate::time::now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn record_check(
    conn: &mut DbConnection,
    loan_id: &str,
    on: NaiveDate,
    result: &str,
    findings: Option<&str>,
    actor: &str,
) -> ApiResult<()> {
    diesel::insert_into(lc::table)
        .values((
            lc::id.eq(uuid::Uuid::now_v7().to_string()),
            lc::loan_id.eq(loan_id),
            lc::checked_on.eq(on),
            lc::result.eq(result),
            lc::findings.eq(findings),
            lc::actor_sub.eq(actor),
            lc::created_at.eq(crate::time::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Monthly portfolio figures, each one SQL aggregate over the unit.
pub struct PortfolioFigures {
    pub listed_eligible: i64,
    pub applications: i64,
    pub approved: i64,
    pub disbursed_loans: i64,
    pub disbursed_vnd: i64,
    pub outstanding_vnd: i64,
    pub overdue_loans: i64,
    pub overdue_vnd: i64,
    pub recovered_vnd: i64,
}

pub fn portfolio(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    first: NaiveDate,
    last: NaiveDate,
) -> ApiResult<PortfolioFigures> {
    let (first_month, last_month) = (first.format("%Y-%m").to_string(), last.format("%Y-%m").to_string());
    let q = lle::table
        .inner_join(ll::table.on(ll::id.eq(lle::list_id)))
        .filter(ll::month.ge(first_month))
        .filter(ll::month.le(last_month))
        .filter(ll::status.ne("draft"))
        .select(lle::person_id)
        .distinct()
        .into_boxed();
    let listed: Vec<String> = in_unit!(q, scope, ll::unit_code, ll::province_code).load(conn)?;
    let q = l::table.filter(l::application_date.between(first, last)).into_boxed();
    let applications: i64 = in_unit!(q, scope, l::unit_code, l::province_code).count().get_result(conn)?;
    let q = l::table.filter(l::approved_on.between(first, last)).into_boxed();
    let approved: i64 = in_unit!(q, scope, l::unit_code, l::province_code).count().get_result(conn)?;
    let sum = "CAST(COALESCE(SUM(principal_vnd), 0) AS BIGINT)";
    let posting_sum =
        |conn: &mut DbConnection, kind: &str, from: Option<NaiveDate>, to: NaiveDate| -> ApiResult<(i64, i64)> {
            let mut q = lp::table
                .inner_join(l::table.on(l::id.eq(lp::loan_id)))
                .filter(lp::kind.eq(kind.to_string()))
                .filter(lp::value_date.le(to))
                .into_boxed();
            if let Some(f) = from {
                q = q.filter(lp::value_date.ge(f));
            }
            let q = in_unit!(q, scope, l::unit_code, l::province_code);
            let (n, total): (i64, i64) = q
                .select((
                    diesel::dsl::sql::<BigInt>("COUNT(DISTINCT loan_postings.loan_id)"),
                    diesel::dsl::sql::<BigInt>(sum),
                ))
                .first(conn)?;
            Ok((n, total))
        };
    let (disbursed_loans, disbursed_vnd) = posting_sum(conn, "disbursement", Some(first), last)?;
    let (_, recovered_vnd) = posting_sum(conn, "repayment", Some(first), last)?;
    let (_, all_disbursed) = posting_sum(conn, "disbursement", None, last)?;
    let (_, all_repaid) = posting_sum(conn, "repayment", None, last)?;
    let q = l::table.filter(l::status.eq("overdue")).into_boxed();
    let (overdue_loans, overdue_vnd): (i64, i64) = in_unit!(q, scope, l::unit_code, l::province_code)
        .select((
            diesel::dsl::sql::<BigInt>("COUNT(*)"),
            diesel::dsl::sql::<BigInt>("CAST(COALESCE(SUM(disbursed_total_vnd - principal_repaid_vnd), 0) AS BIGINT)"),
        ))
        .first(conn)?;
    Ok(PortfolioFigures {
        listed_eligible: listed.len() as i64,
        applications,
        approved,
        disbursed_loans,
        disbursed_vnd,
        outstanding_vnd: all_disbursed - all_repaid,
        overdue_loans,
        overdue_vnd,
        recovered_vnd,
    })
}
