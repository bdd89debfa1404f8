//! Single-number figures of support, loans, committees, propagandists and pre-release work,
//! read in one query.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::sql::Sql;
use crate::auth::Jurisdiction;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};

#[derive(QueryableByName)]
pub(super) struct Scalars {
    #[diesel(sql_type = BigInt)]
    pub(super) trainings_started: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) trained_persons: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) trainings_completed: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) job_referrals: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) hires: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) hired_persons: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) assistance_grants: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) assistance_persons: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) assistance_vnd: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) listed_eligible: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) applications: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) disbursed_loans: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) borrowers: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) disbursed_vnd: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) outstanding_vnd: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) committees_active: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) propagandists: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) notices: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) borrowers_all_programmes: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) released: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) released_received: i64,
}

/// Month keys (`YYYY-MM`) bounding the period, for the monthly loan lists.
pub(super) fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

pub(super) fn scalars(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Scalars> {
    let mut q = Sql::new(conn);
    // Each sub-select binds its own values, in the order they are written.
    let period = |q: &mut Sql, col: &str| {
        let (f, t) = (q.date(from), q.date(to));
        format!("{col} >= {f} AND {col} <= {t}")
    };
    let count = |q: &mut Sql, expr: &str, table: &str, alias: &str, date_col: &str, extra: &str| {
        let p = period(q, &format!("{alias}.{date_col}"));
        let s = q.scope(alias, scope);
        format!("(SELECT CAST(COALESCE({expr}, 0) AS BIGINT) FROM {table} {alias} WHERE {p} AND {s}{extra})")
    };
    let trainings_started = count(&mut q, "COUNT(*)", "trainings", "t", "start_date", "");
    let trained_persons = count(&mut q, "COUNT(DISTINCT t.person_id)", "trainings", "t", "start_date", "");
    let trainings_completed = count(&mut q, "COUNT(*)", "trainings", "t", "end_date", "");
    let job_referrals = count(&mut q, "COUNT(*)", "job_referrals", "j", "referred_on", "");
    let hires = count(&mut q, "COUNT(*)", "job_referrals", "j", "outcome_on", " AND j.outcome = 'hired'");
    let hired_persons =
        count(&mut q, "COUNT(DISTINCT j.person_id)", "job_referrals", "j", "outcome_on", " AND j.outcome = 'hired'");
    let grants = count(&mut q, "COUNT(*)", "social_assistance", "s", "period_from", "");
    let grant_persons = count(&mut q, "COUNT(DISTINCT s.person_id)", "social_assistance", "s", "period_from", "");
    let grant_vnd = count(&mut q, "SUM(s.amount_vnd)", "social_assistance", "s", "period_from", "");
    // `loans` counts Decision 22 loans only; the other programmes are `other_programme_loans`.
    let applications = count(&mut q, "COUNT(*)", "loans", "l", "application_date", " AND l.programme = 'decision_22'");
    let notices = count(&mut q, "COUNT(*)", "release_notices", "n", "notice_date", "");
    let listed = {
        let (m1, m2) = (q.text(&month_key(from)), q.text(&month_key(to)));
        let s = q.scope("ll", scope);
        format!(
            "(SELECT COUNT(DISTINCT e.person_id) FROM loan_list_entries e JOIN loan_lists ll ON ll.id = e.list_id
              WHERE ll.month >= {m1} AND ll.month <= {m2} AND ll.status <> 'draft' AND {s})"
        )
    };
    let disbursed = |q: &mut Sql, expr: &str, programme: &str| {
        let p = period(q, "lp.value_date");
        let s = q.scope("l", scope);
        format!(
            "(SELECT CAST(COALESCE({expr}, 0) AS BIGINT) FROM loan_postings lp JOIN loans l ON l.id = lp.loan_id
              WHERE lp.kind = 'disbursement'{programme} AND {p} AND {s})"
        )
    };
    let d22 = " AND l.programme = 'decision_22'";
    let disbursed_loans = disbursed(&mut q, "COUNT(DISTINCT lp.loan_id)", d22);
    let borrowers = disbursed(&mut q, "COUNT(DISTINCT l.person_id)", d22);
    let disbursed_vnd = disbursed(&mut q, "SUM(lp.principal_vnd)", d22);
    let borrowers_all = disbursed(&mut q, "COUNT(DISTINCT l.person_id)", "");
    // Released to the unit: notices whose expected release date lies in the period, once the
    // person was received (on or after the notice, by `to`) or the grace days have run.
    let released = |q: &mut Sql, received_only: bool| {
        let p = period(q, "n.expected_release_date");
        let s = q.scope("n", scope);
        let t = q.date(to);
        let received = format!(
            "EXISTS (SELECT 1 FROM person_status_history h WHERE h.person_id = n.person_id
                     AND h.to_status = 'received' AND h.occurred_on >= n.notice_date AND h.occurred_on <= {t})"
        );
        let condition = if received_only {
            received
        } else {
            let t2 = q.date(to);
            let grace = crate::domain::indicators::RECEPTION_GRACE_DAYS;
            let due = if q.pg {
                format!("n.expected_release_date + {grace} < {t2}")
            } else {
                format!("date(n.expected_release_date, '+{grace} days') < {t2}")
            };
            format!("({received} OR {due})")
        };
        format!("(SELECT COUNT(*) FROM release_notices n WHERE {p} AND {s} AND {condition})")
    };
    let released_all = released(&mut q, false);
    let released_received = released(&mut q, true);
    let outstanding = {
        let t = q.date(to);
        let s = q.scope("l", scope);
        format!(
            "(SELECT CAST(COALESCE(SUM(CASE WHEN lp.kind = 'disbursement' THEN lp.principal_vnd
                                            WHEN lp.kind = 'repayment' THEN -lp.principal_vnd ELSE 0 END), 0) AS BIGINT)
              FROM loan_postings lp JOIN loans l ON l.id = lp.loan_id
              WHERE lp.value_date <= {t} AND l.programme = 'decision_22' AND {s})"
        )
    };
    let committees = {
        let (t1, t2) = (q.date(to), q.date(to));
        let s = q.scope("c", scope);
        format!(
            "(SELECT COUNT(*) FROM steering_committees c WHERE c.decision_date <= {t1}
              AND (c.dissolved_on IS NULL OR c.dissolved_on > {t2}) AND {s})"
        )
    };
    let propagandists = {
        let (t1, t2) = (q.date(to), q.date(to));
        let s = q.scope("g", scope);
        format!(
            "(SELECT COUNT(*) FROM propagandists g WHERE g.from_date <= {t1}
              AND (g.to_date IS NULL OR g.to_date >= {t2}) AND {s})"
        )
    };
    let text = format!(
        "SELECT {trainings_started} AS trainings_started, {trained_persons} AS trained_persons,
                {trainings_completed} AS trainings_completed, {job_referrals} AS job_referrals, {hires} AS hires,
                {hired_persons} AS hired_persons, {grants} AS assistance_grants, {grant_persons} AS assistance_persons,
                {grant_vnd} AS assistance_vnd, {listed} AS listed_eligible, {applications} AS applications,
                {disbursed_loans} AS disbursed_loans, {borrowers} AS borrowers, {disbursed_vnd} AS disbursed_vnd,
                {outstanding} AS outstanding_vnd, {committees} AS committees_active, {propagandists} AS propagandists,
                {notices} AS notices, {borrowers_all} AS borrowers_all_programmes,
                {released_all} AS released, {released_received} AS released_received"
    );
    q.load::<Scalars>(conn, text)?.pop().ok_or_else(|| ApiError::internal("indicator scalars returned no row"))
}
