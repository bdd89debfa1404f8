//! The caseload: persons managed at the start, at the end and during the period.

use chrono::{Months, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::sql::{national, CountRow, Sql, MANAGED};
use crate::auth::Jurisdiction;
use crate::db::DbConnection;
use crate::domain::indicators::Caseload;
use crate::error::ApiResult;

#[derive(QueryableByName)]
pub(super) struct CaseloadRow {
    #[diesel(sql_type = BigInt)]
    pub(super) m_start: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) m_end: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) entered: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) gender: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub(super) juvenile: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) classification: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) employment: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) focus: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub(super) n: i64,
}

/// Persons managed at the start, at the end and during the period, with the end-of-period
/// breakdowns. "Managed on day D" = the status change in force on D (`occurred_on <= D <
/// valid_until`) among those recorded in the unit is `received` or `under_management`;
/// every move out of a unit is recorded in that unit, so filtering the history by unit
/// first is exact. The day before the period is "at the start".
pub(super) fn caseload(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Caseload> {
    // PostgreSQL only: SQLite runs the per-person grouping below faster (2.7 s against 4.6 s
    // for the country on the national data set), its joins being nested loops.
    if national(scope) && matches!(conn, DbConnection::Postgresql(_)) {
        return national_caseload(conn, from, to);
    }
    let mut q = Sql::new(conn);
    // Placeholders are numbered, so one bind serves every use.
    let (f, t) = (q.date(from), q.date(to));
    let sc = q.scope("h", scope);
    let adult_born_by = to.checked_sub_months(Months::new(18 * 12)).unwrap_or(to);
    let dob = q.date(adult_born_by);
    // Values on `to` come from the dated attribute history: the statement in force that day,
    // read in one pass for the three attributes and only for persons managed at the end (a
    // semi-join, so a commune probes the index; for the country one scan beats 160k probes,
    // and the planner cannot see that through the aggregate).
    let only_managed = match national(scope) {
        true => "",
        false => "AND c.person_id IN (SELECT e.person_id FROM sp e WHERE e.m_end = 1)",
    };
    let text = format!(
        "WITH sp AS (
            SELECT h.person_id,
                   MAX(CASE WHEN h.occurred_on < {f} AND (h.valid_until IS NULL OR h.valid_until >= {f})
                            THEN 1 ELSE 0 END) AS m_start,
                   MAX(CASE WHEN h.valid_until IS NULL OR h.valid_until > {t} THEN 1 ELSE 0 END) AS m_end,
                   MAX(CASE WHEN h.occurred_on >= {f} THEN 1 ELSE 0 END) AS entered
            FROM person_status_history h
            WHERE h.to_status IN {MANAGED} AND h.occurred_on <= {t}
              AND (h.valid_until IS NULL OR h.valid_until >= {f}) AND {sc}
            GROUP BY h.person_id
        ), av AS (
            SELECT c.person_id,
                   MAX(CASE WHEN c.attribute = 'classification' THEN c.value END) AS classification,
                   MAX(CASE WHEN c.attribute = 'employment_status' THEN c.value END) AS employment,
                   MAX(CASE WHEN c.attribute = 'needs_focus' THEN c.value END) AS focus
            FROM person_attribute_changes c
            WHERE c.attribute IN ('classification', 'employment_status', 'needs_focus')
              AND c.changed_on <= {t} AND (c.valid_until IS NULL OR c.valid_until > {t})
              {only_managed}
            GROUP BY c.person_id
        ), x AS (
            SELECT sp.m_start, sp.m_end, sp.entered,
                   CASE WHEN sp.m_end = 1 THEN p.gender END AS gender,
                   CASE WHEN sp.m_end = 1 AND p.date_of_birth > {dob} THEN 1 ELSE 0 END AS juvenile,
                   CASE WHEN sp.m_end = 1 THEN av.classification END AS classification,
                   CASE WHEN sp.m_end = 1 THEN av.employment END AS employment,
                   CASE WHEN sp.m_end = 1 THEN av.focus END AS focus
            FROM sp JOIN persons p ON p.id = sp.person_id
            LEFT JOIN av ON av.person_id = sp.person_id
        )
        SELECT CAST(m_start AS BIGINT) AS m_start, CAST(m_end AS BIGINT) AS m_end, CAST(entered AS BIGINT) AS entered,
               gender, CAST(juvenile AS BIGINT) AS juvenile, classification, employment, focus, COUNT(*) AS n
        FROM x
        GROUP BY m_start, m_end, entered, gender, juvenile, classification, employment, focus"
    );
    // Parallel workers would each rebuild both per-person hash tables: 1.6 s instead of
    // 1.1 s for the national caseload on two cores. The caseload is the last figure of its
    // transaction (on the lane, or after the rest in `indicators_in_snapshot`), so the
    // setting needs no reset for the scans that keep their workers.
    crate::db::set_local(conn, &[crate::db::NO_PARALLEL_WORKERS])?;
    let rows: Vec<CaseloadRow> = q.load(conn, text)?;
    let mut c = Caseload::default();
    for row in rows {
        let n = row.n;
        if row.m_start == 1 {
            c.at_start += n;
        }
        if row.m_start == 1 || row.entered == 1 {
            c.during_period += n;
        }
        if row.m_end != 1 {
            continue;
        }
        count_at_end(&mut c, row.gender.as_deref(), row.juvenile == 1, n);
        count_classification(&mut c, row.classification.as_deref(), n);
        if row.focus.as_deref() == Some("true") {
            c.at_end_needs_focus += n;
        }
        count_employment(&mut c, row.employment.as_deref(), n);
    }
    Ok(c)
}

/// Persons managed at the end, by sex and age: the buckets both caseload queries fill.
pub(super) fn count_at_end(c: &mut Caseload, gender: Option<&str>, juvenile: bool, n: i64) {
    c.at_end += n;
    match gender {
        Some("male") => c.at_end_male += n,
        Some("female") => c.at_end_female += n,
        _ => c.at_end_other_sex += n,
    }
    if juvenile {
        c.at_end_juveniles += n;
    }
}

pub(super) fn count_classification(c: &mut Caseload, group: Option<&str>, n: i64) {
    match group {
        Some("a") => c.at_end_group_a += n,
        Some("b") => c.at_end_group_b += n,
        Some("c") => c.at_end_group_c += n,
        Some("d") => c.at_end_group_d += n,
        _ => c.at_end_unclassified += n,
    }
}

pub(super) fn count_employment(c: &mut Caseload, employment: Option<&str>, n: i64) {
    match employment {
        Some("stable") => c.at_end_employed_stable += n,
        Some("unstable") => c.at_end_employed_unstable += n,
        Some("unemployed") => c.at_end_unemployed += n,
        _ => c.at_end_employment_unknown += n,
    }
}

#[derive(QueryableByName)]
pub(super) struct SexAgeRow {
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) gender: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub(super) juvenile: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) n: i64,
}

#[derive(QueryableByName)]
pub(super) struct AttributeRow {
    #[diesel(sql_type = Text)]
    pub(super) attribute: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) value: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub(super) n: i64,
}

/// The country's caseload without grouping 200,000 persons: nationally every status change
/// of a person is in scope, and a person's history is one chain whose rows are each in force
/// from their day until the next row's, so exactly one row per person is in force on any day.
/// Persons managed on a day are then counted as rows; the end-of-period breakdowns join those
/// rows to the person and to the attribute statements in force on `to` (also one per person
/// and attribute), and "managed during the period" adds to those managed at the start each
/// person's first entry into a managed state in the period (no earlier managed row of theirs
/// in force on or after the day before `from`). Same definitions as [`caseload`]; the ledger
/// test checks both against hand counts.
pub(super) fn national_caseload(conn: &mut DbConnection, from: NaiveDate, to: NaiveDate) -> ApiResult<Caseload> {
    let mut q = Sql::new(conn);
    let f = q.date(from);
    let text = format!(
        "SELECT COUNT(*) AS n FROM person_status_history h
         WHERE h.to_status IN {MANAGED} AND h.occurred_on < {f} AND (h.valid_until IS NULL OR h.valid_until >= {f})"
    );
    let at_start = q.load::<CountRow>(conn, text)?.pop().map_or(0, |r| r.n);

    let mut q = Sql::new(conn);
    let f = q.date(from);
    let t = q.date(to);
    let text = format!(
        "SELECT COUNT(*) AS n FROM person_status_history r
         WHERE r.to_status IN {MANAGED} AND r.occurred_on >= {f} AND r.occurred_on <= {t}
           AND NOT EXISTS (SELECT 1 FROM person_status_history e
                           WHERE e.person_id = r.person_id AND e.seq < r.seq AND e.to_status IN {MANAGED}
                             AND (e.valid_until IS NULL OR e.valid_until >= {f}))"
    );
    let entrants = q.load::<CountRow>(conn, text)?.pop().map_or(0, |r| r.n);

    let in_force_at_end = |q: &mut Sql| {
        let t = q.date(to);
        format!("h.to_status IN {MANAGED} AND h.occurred_on <= {t} AND (h.valid_until IS NULL OR h.valid_until > {t})")
    };
    let mut q = Sql::new(conn);
    let managed = in_force_at_end(&mut q);
    let adult_born_by = to.checked_sub_months(Months::new(18 * 12)).unwrap_or(to);
    let dob = q.date(adult_born_by);
    let text = format!(
        "SELECT p.gender AS gender, CAST(CASE WHEN p.date_of_birth > {dob} THEN 1 ELSE 0 END AS BIGINT) AS juvenile,
                COUNT(*) AS n
         FROM person_status_history h JOIN persons p ON p.id = h.person_id
         WHERE {managed}
         GROUP BY p.gender, CASE WHEN p.date_of_birth > {dob} THEN 1 ELSE 0 END"
    );
    let sex_age: Vec<SexAgeRow> = q.load(conn, text)?;

    let mut q = Sql::new(conn);
    let managed = in_force_at_end(&mut q);
    let t = q.date(to);
    let text = format!(
        "SELECT c.attribute AS attribute, c.value AS value, COUNT(*) AS n
         FROM person_attribute_changes c JOIN person_status_history h ON h.person_id = c.person_id
         WHERE c.attribute IN ('classification', 'employment_status', 'needs_focus')
           AND c.changed_on <= {t} AND (c.valid_until IS NULL OR c.valid_until > {t}) AND {managed}
         GROUP BY c.attribute, c.value"
    );
    let attributes: Vec<AttributeRow> = q.load(conn, text)?;

    let mut c = Caseload { at_start, during_period: at_start + entrants, ..Default::default() };
    for row in sex_age {
        count_at_end(&mut c, row.gender.as_deref(), row.juvenile == 1, row.n);
    }
    for row in attributes {
        match (row.attribute.as_str(), row.value.as_deref()) {
            ("classification", group) => count_classification(&mut c, group, row.n),
            ("employment_status", employment) => count_employment(&mut c, employment, row.n),
            ("needs_focus", Some("true")) => c.at_end_needs_focus += row.n,
            _ => {}
        }
    }
    // Anyone managed at the end without a known value on `to` is in the "unknown" bucket
    // (rows of the statements only cover persons who have one, so the rest is derived).
    c.at_end_unclassified = c.at_end - c.at_end_group_a - c.at_end_group_b - c.at_end_group_c - c.at_end_group_d;
    c.at_end_employment_unknown =
        c.at_end - c.at_end_employed_stable - c.at_end_employed_unstable - c.at_end_unemployed;
    Ok(c)
}
