//! Report figures as SQL aggregates, and the targets and reports tables.
//!
//! The indicator queries are hand-written SQL: they need window-free "latest change up to a
//! day" logic, self-joins on the status history and conditional distinct counts, which read
//! more plainly as SQL than as diesel DSL. The SQL is the same on both backends; only the
//! placeholder syntax differs (`$n` on PostgreSQL, `?n` on SQLite). Nothing is loaded row by
//! row: every query returns counts, grouped at most by a handful of small categories, or
//! the list of commune codes (≤ 3,321) behind the commune shares.

use std::collections::BTreeSet;

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text};

use super::schema::{report_targets as rt, reports as r};
use super::{DbConnection, MultiBackend};
use crate::auth::Jurisdiction;
use crate::domain::enums::{ActivityKind, LegalSubKind, ModelType, OutreachKind};
use crate::dto::reports::*;
use crate::error::{ApiError, ApiResult};

/// Values bound to a query, in placeholder order.
enum Bind {
    Text(String),
    Date(NaiveDate),
}

/// Raw SQL with numbered placeholders for the connection's backend.
struct Sql {
    pg: bool,
    binds: Vec<Bind>,
}

impl Sql {
    fn new(conn: &DbConnection) -> Sql {
        Sql { pg: matches!(conn, DbConnection::Postgresql(_)), binds: Vec::new() }
    }

    fn placeholder(&self) -> String {
        let n = self.binds.len();
        if self.pg {
            format!("${n}")
        } else {
            format!("?{n}")
        }
    }

    fn date(&mut self, d: NaiveDate) -> String {
        self.binds.push(Bind::Date(d));
        self.placeholder()
    }

    fn text(&mut self, t: &str) -> String {
        self.binds.push(Bind::Text(t.to_string()));
        self.placeholder()
    }

    /// `alias` lies in the reported units (one unit, or a set of units that do not overlap).
    fn scope(&mut self, alias: &str, scope: &[Jurisdiction]) -> String {
        if national(scope) {
            return "1 = 1".into();
        }
        let mut parts = Vec::new();
        let provinces: Vec<String> = scope
            .iter()
            .filter_map(|j| match j {
                Jurisdiction::Province(p) => Some(self.text(p)),
                _ => None,
            })
            .collect();
        let communes: Vec<String> = scope
            .iter()
            .filter_map(|j| match j {
                Jurisdiction::Commune(c) => Some(self.text(c)),
                _ => None,
            })
            .collect();
        match provinces.as_slice() {
            [] => {}
            [one] => parts.push(format!("{alias}.province_code = {one}")),
            many => parts.push(format!("{alias}.province_code IN ({})", many.join(", "))),
        }
        match communes.as_slice() {
            [] => {}
            [one] => parts.push(format!("{alias}.unit_code = {one}")),
            many => parts.push(format!("{alias}.unit_code IN ({})", many.join(", "))),
        }
        match parts.len() {
            0 => "1 = 0".into(),
            1 => parts.remove(0),
            _ => format!("({})", parts.join(" OR ")),
        }
    }

    fn load<T>(self, conn: &mut DbConnection, text: String) -> ApiResult<Vec<T>>
    where
        T: QueryableByName<MultiBackend> + 'static,
    {
        let mut q = diesel::sql_query(text).into_boxed::<MultiBackend>();
        for b in self.binds {
            q = match b {
                Bind::Text(t) => q.bind::<Text, _>(t),
                Bind::Date(d) => q.bind::<Date, _>(d),
            };
        }
        Ok(q.load::<T>(conn)?)
    }
}

/// Whether the units are the whole country (`VN` overlaps every other unit, so it comes alone).
fn national(scope: &[Jurisdiction]) -> bool {
    scope.iter().any(|j| matches!(j, Jurisdiction::National))
}

const MANAGED: &str = "('received', 'under_management')";

#[derive(QueryableByName)]
struct CaseloadRow {
    #[diesel(sql_type = BigInt)]
    m_start: i64,
    #[diesel(sql_type = BigInt)]
    m_end: i64,
    #[diesel(sql_type = BigInt)]
    entered: i64,
    #[diesel(sql_type = Nullable<Text>)]
    gender: Option<String>,
    #[diesel(sql_type = BigInt)]
    juvenile: i64,
    #[diesel(sql_type = Nullable<Text>)]
    classification: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    employment: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    focus: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct EventRow {
    #[diesel(sql_type = Text)]
    to_status: String,
    #[diesel(sql_type = Nullable<Text>)]
    from_status: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    release_type: Option<String>,
    #[diesel(sql_type = BigInt)]
    late: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct KindRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    sub: Option<String>,
    #[diesel(sql_type = BigInt)]
    n1: i64,
    #[diesel(sql_type = BigInt)]
    n2: i64,
    #[diesel(sql_type = BigInt)]
    n3: i64,
}

#[derive(QueryableByName)]
struct CodeRow {
    #[diesel(sql_type = Text)]
    code: String,
}

#[derive(QueryableByName)]
struct Scalars {
    #[diesel(sql_type = BigInt)]
    trainings_started: i64,
    #[diesel(sql_type = BigInt)]
    trained_persons: i64,
    #[diesel(sql_type = BigInt)]
    trainings_completed: i64,
    #[diesel(sql_type = BigInt)]
    job_referrals: i64,
    #[diesel(sql_type = BigInt)]
    hires: i64,
    #[diesel(sql_type = BigInt)]
    hired_persons: i64,
    #[diesel(sql_type = BigInt)]
    assistance_grants: i64,
    #[diesel(sql_type = BigInt)]
    assistance_persons: i64,
    #[diesel(sql_type = BigInt)]
    assistance_vnd: i64,
    #[diesel(sql_type = BigInt)]
    listed_eligible: i64,
    #[diesel(sql_type = BigInt)]
    applications: i64,
    #[diesel(sql_type = BigInt)]
    disbursed_loans: i64,
    #[diesel(sql_type = BigInt)]
    borrowers: i64,
    #[diesel(sql_type = BigInt)]
    disbursed_vnd: i64,
    #[diesel(sql_type = BigInt)]
    outstanding_vnd: i64,
    #[diesel(sql_type = BigInt)]
    committees_active: i64,
    #[diesel(sql_type = BigInt)]
    propagandists: i64,
    #[diesel(sql_type = BigInt)]
    notices: i64,
}

/// Persons managed at the start, at the end and during the period, with the end-of-period
/// breakdowns. "Managed on day D" = the status change in force on D (`occurred_on <= D <
/// valid_until`) among those recorded in the unit is `received` or `under_management`;
/// every move out of a unit is recorded in that unit, so filtering the history by unit
/// first is exact. The day before the period is "at the start".
fn caseload(conn: &mut DbConnection, scope: &[Jurisdiction], from: NaiveDate, to: NaiveDate) -> ApiResult<Caseload> {
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
    super::set_local(conn, &[super::NO_PARALLEL_WORKERS])?;
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
fn count_at_end(c: &mut Caseload, gender: Option<&str>, juvenile: bool, n: i64) {
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

fn count_classification(c: &mut Caseload, group: Option<&str>, n: i64) {
    match group {
        Some("a") => c.at_end_group_a += n,
        Some("b") => c.at_end_group_b += n,
        Some("c") => c.at_end_group_c += n,
        Some("d") => c.at_end_group_d += n,
        _ => c.at_end_unclassified += n,
    }
}

fn count_employment(c: &mut Caseload, employment: Option<&str>, n: i64) {
    match employment {
        Some("stable") => c.at_end_employed_stable += n,
        Some("unstable") => c.at_end_employed_unstable += n,
        Some("unemployed") => c.at_end_unemployed += n,
        _ => c.at_end_employment_unknown += n,
    }
}

#[derive(QueryableByName)]
struct SexAgeRow {
    #[diesel(sql_type = Nullable<Text>)]
    gender: Option<String>,
    #[diesel(sql_type = BigInt)]
    juvenile: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct AttributeRow {
    #[diesel(sql_type = Text)]
    attribute: String,
    #[diesel(sql_type = Nullable<Text>)]
    value: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
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
fn national_caseload(conn: &mut DbConnection, from: NaiveDate, to: NaiveDate) -> ApiResult<Caseload> {
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

/// Receptions, files opened and exits dated in the period. A move between two communes of
/// the unit is neither a reception nor an exit of the unit.
fn events(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<(Receptions, Exits, i64)> {
    let mut q = Sql::new(conn);
    let f = q.date(from);
    let t = q.date(to);
    let sc = q.scope("h", scope);
    let sc_prev = q.scope("prv", scope);
    let sc_next = q.scope("nxt", scope);
    // A reception belongs to the cycle of the latest release on or before its day: that
    // release's type, and lateness against that release (a parolee reporting more than five
    // days after it). The person's current release facts describe only the last cycle.
    let late_after =
        if q.pg { "rc.release_date + 5".to_string() } else { "date(rc.release_date, '+5 days')".to_string() };
    let late = format!(
        "CASE WHEN h.to_status = 'received' AND h.from_status = 'expected'
                   AND rc.release_type = 'conditional_early_release' AND h.occurred_on > {late_after}
              THEN 1 ELSE 0 END"
    );
    let text = format!(
        "SELECT h.to_status AS to_status, h.from_status AS from_status, rc.release_type AS release_type,
                CAST({late} AS BIGINT) AS late,
                COUNT(*) AS n
         FROM person_status_history h
         LEFT JOIN convictions rc
           ON h.to_status = 'received'
          AND rc.id = (SELECT c.id FROM convictions c
                       WHERE c.person_id = h.person_id AND c.release_date IS NOT NULL
                         AND c.release_date <= h.occurred_on
                       ORDER BY c.release_date DESC, c.id DESC LIMIT 1)
         WHERE h.occurred_on >= {f} AND h.occurred_on <= {t} AND {sc}
           AND h.to_status IN ('received', 'under_management', 'expunged', 'reoffended', 'law_violation',
                               'moved_out', 'absconded', 'deceased')
           AND NOT (h.to_status = 'received' AND COALESCE(h.from_status, '') = 'moved_out'
                    AND EXISTS (SELECT 1 FROM person_status_history prv
                                WHERE prv.person_id = h.person_id AND prv.seq = h.seq - 1 AND {sc_prev}))
           AND NOT (h.to_status = 'moved_out'
                    AND EXISTS (SELECT 1 FROM person_status_history nxt
                                WHERE nxt.person_id = h.person_id AND nxt.seq = h.seq + 1 AND {sc_next}))
         GROUP BY h.to_status, h.from_status, rc.release_type, {late}"
    );
    let rows: Vec<EventRow> = q.load(conn, text)?;
    let (mut rec, mut ex, mut files) = (Receptions::default(), Exits::default(), 0);
    for row in rows {
        let n = row.n;
        match row.to_status.as_str() {
            "received" => {
                rec.total += n;
                match row.release_type.as_deref() {
                    Some("completed_sentence") => rec.completed_sentence += n,
                    Some("special_amnesty") => rec.special_amnesty += n,
                    Some("conditional_early_release") => rec.conditional_early_release += n,
                    _ => rec.release_type_unknown += n,
                }
                if row.from_status.as_deref() == Some("moved_out") {
                    rec.transferred_in += n;
                }
                if row.late == 1 {
                    rec.late_parolees += n;
                }
            }
            "under_management" => {
                if row.from_status.as_deref() == Some("received") {
                    files += n;
                }
            }
            exit => {
                ex.total += n;
                match exit {
                    "expunged" => ex.expunged += n,
                    "reoffended" => ex.reoffended += n,
                    "law_violation" => ex.law_violation += n,
                    "moved_out" => ex.moved_out += n,
                    "absconded" => ex.absconded += n,
                    _ => ex.deceased += n,
                }
            }
        }
    }
    Ok((rec, ex, files))
}

fn codes(conn: &mut DbConnection, q: Sql, text: String) -> ApiResult<BTreeSet<String>> {
    Ok(q.load::<CodeRow>(conn, text)?.into_iter().map(|r| r.code).collect())
}

/// Communes where someone was managed on a day of the period: a managed-state row recorded
/// there whose time in force meets the period.
pub fn communes_with_managed(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<BTreeSet<String>> {
    let mut q = Sql::new(conn);
    let sc = q.scope("h", scope);
    let t = q.date(to);
    let f1 = q.date(from);
    let text = format!(
        "SELECT DISTINCT h.unit_code AS code
         FROM person_status_history h
         WHERE {sc} AND h.to_status IN {MANAGED} AND h.occurred_on <= {t}
           AND (h.valid_until IS NULL OR h.valid_until >= {f1})"
    );
    codes(conn, q, text)
}

#[derive(QueryableByName)]
struct ActivityPersons {
    #[diesel(sql_type = BigInt)]
    counselling: i64,
    #[diesel(sql_type = BigInt)]
    legal: i64,
}

/// Distinct persons counselled (either kind) and given legal help (any sub-kind), in one scan.
fn activity_persons(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<ActivityPersons> {
    let mut q = Sql::new(conn);
    let (f, t) = (q.date(from), q.date(to));
    let sc = q.scope("a", scope);
    let text = format!(
        "SELECT COUNT(DISTINCT CASE WHEN a.kind <> 'legal_support' THEN a.person_id END) AS counselling,
                COUNT(DISTINCT CASE WHEN a.kind = 'legal_support' THEN a.person_id END) AS legal
         FROM activities a
         WHERE NOT a.deleted AND a.kind IN ('counselling_individual', 'counselling_group', 'legal_support')
           AND a.occurred_on >= {f} AND a.occurred_on <= {t} AND {sc}"
    );
    q.load::<ActivityPersons>(conn, text)?.pop().ok_or_else(|| ApiError::internal("activity persons returned no row"))
}

/// Activities by kind in a unit: count, distinct persons and group sessions (`n1..n3`), and
/// the persons counselled or given legal help.
fn activities(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<(Vec<KindRow>, ActivityPersons)> {
    if national(scope) {
        return national_activities(conn, from, to);
    }
    Ok((activity_kinds(conn, scope, from, to)?, activity_persons(conn, scope, from, to)?))
}

#[derive(QueryableByName)]
struct NationalKindRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    sub: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = BigInt)]
    first_of_kind: i64,
    #[diesel(sql_type = BigInt)]
    first_of_family: i64,
}

/// The whole country: 2 million rows are too many to sort or hash by person for each
/// distinct count, so persons are counted as the activities that are a person's first of
/// their kind (or family) in the period (`prev_*_on` before `from`; see the
/// `activity_order` migration). Exact, one scan, no per-person state. Smaller units keep
/// plain `COUNT(DISTINCT)`: a person's previous activity may lie in another unit.
fn national_activities(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<(Vec<KindRow>, ActivityPersons)> {
    let mut q = Sql::new(conn);
    let (f, t) = (q.date(from), q.date(to));
    let text = format!(
        "SELECT a.kind AS kind, a.legal_sub_kind AS sub, COUNT(*) AS n,
                CAST(SUM(CASE WHEN a.prev_kind_on IS NULL OR a.prev_kind_on < {f} THEN 1 ELSE 0 END) AS BIGINT) AS first_of_kind,
                CAST(SUM(CASE WHEN a.prev_family_on IS NULL OR a.prev_family_on < {f} THEN 1 ELSE 0 END) AS BIGINT) AS first_of_family
         FROM activities a
         WHERE NOT a.deleted AND a.occurred_on >= {f} AND a.occurred_on <= {t}
         GROUP BY a.kind, a.legal_sub_kind"
    );
    let rows: Vec<NationalKindRow> = q.load(conn, text)?;
    let mut q = Sql::new(conn);
    let (f, t) = (q.date(from), q.date(to));
    let text = format!(
        "SELECT COUNT(DISTINCT a.group_session_id) AS n FROM activities a
         WHERE a.kind = 'counselling_group' AND NOT a.deleted AND a.occurred_on >= {f} AND a.occurred_on <= {t}"
    );
    let sessions = q.load::<CountRow>(conn, text)?.pop().map_or(0, |r| r.n);
    let family =
        |kinds: &[&str]| rows.iter().filter(|r| kinds.contains(&r.kind.as_str())).map(|r| r.first_of_family).sum();
    let persons = ActivityPersons {
        counselling: family(&["counselling_individual", "counselling_group"]),
        legal: family(&["legal_support"]),
    };
    let kinds = rows
        .iter()
        .map(|r| KindRow {
            kind: r.kind.clone(),
            sub: r.sub.clone(),
            n1: r.n,
            n2: r.first_of_kind,
            n3: if r.kind == "counselling_group" { sessions } else { 0 },
        })
        .collect();
    Ok((kinds, persons))
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn activity_kinds(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Vec<KindRow>> {
    let mut q = Sql::new(conn);
    let f = q.date(from);
    let t = q.date(to);
    let sc = q.scope("a", scope);
    let text = format!(
        "SELECT a.kind AS kind, a.legal_sub_kind AS sub, COUNT(*) AS n1, COUNT(DISTINCT a.person_id) AS n2,
                COUNT(DISTINCT a.group_session_id) AS n3
         FROM activities a
         WHERE NOT a.deleted AND a.occurred_on >= {f} AND a.occurred_on <= {t} AND {sc}
         GROUP BY a.kind, a.legal_sub_kind"
    );
    q.load(conn, text)
}

/// Month keys (`YYYY-MM`) bounding the period, for the monthly loan lists.
fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn scalars(conn: &mut DbConnection, scope: &[Jurisdiction], from: NaiveDate, to: NaiveDate) -> ApiResult<Scalars> {
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
    let applications = count(&mut q, "COUNT(*)", "loans", "l", "application_date", "");
    let notices = count(&mut q, "COUNT(*)", "release_notices", "n", "notice_date", "");
    let listed = {
        let (m1, m2) = (q.text(&month_key(from)), q.text(&month_key(to)));
        let s = q.scope("ll", scope);
        format!(
            "(SELECT COUNT(DISTINCT e.person_id) FROM loan_list_entries e JOIN loan_lists ll ON ll.id = e.list_id
              WHERE ll.month >= {m1} AND ll.month <= {m2} AND ll.status <> 'draft' AND {s})"
        )
    };
    let disbursed = |q: &mut Sql, expr: &str| {
        let p = period(q, "lp.value_date");
        let s = q.scope("l", scope);
        format!(
            "(SELECT CAST(COALESCE({expr}, 0) AS BIGINT) FROM loan_postings lp JOIN loans l ON l.id = lp.loan_id
              WHERE lp.kind = 'disbursement' AND {p} AND {s})"
        )
    };
    let disbursed_loans = disbursed(&mut q, "COUNT(DISTINCT lp.loan_id)");
    let borrowers = disbursed(&mut q, "COUNT(DISTINCT l.person_id)");
    let disbursed_vnd = disbursed(&mut q, "SUM(lp.principal_vnd)");
    let outstanding = {
        let t = q.date(to);
        let s = q.scope("l", scope);
        format!(
            "(SELECT CAST(COALESCE(SUM(CASE WHEN lp.kind = 'disbursement' THEN lp.principal_vnd
                                            WHEN lp.kind = 'repayment' THEN -lp.principal_vnd ELSE 0 END), 0) AS BIGINT)
              FROM loan_postings lp JOIN loans l ON l.id = lp.loan_id WHERE lp.value_date <= {t} AND {s})"
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
                {notices} AS notices"
    );
    q.load::<Scalars>(conn, text)?.pop().ok_or_else(|| ApiError::internal("indicator scalars returned no row"))
}

/// A model counts as active on `to` when it is active since then, or left the active state
/// after `to` having been founded by then.
fn model_active_on(q: &mut Sql, to: NaiveDate) -> String {
    let (t1, t2, t3) = (q.date(to), q.date(to), q.date(to));
    format!(
        "((m.status = 'active' AND m.status_since <= {t1})
          OR (m.status IN ('suspended', 'dissolved') AND m.status_since > {t2}
              AND COALESCE(m.founding_decision_date, m.status_since) <= {t3}))"
    )
}

/// Models of the unit per type on `on`: (type, founded by then, active then, participants
/// taking part then in a model active then).
pub fn model_types_on(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    on: NaiveDate,
) -> ApiResult<Vec<(String, i64, i64, i64)>> {
    let mut q = Sql::new(conn);
    let (t1, t2, t3) = (q.date(on), q.date(on), q.date(on));
    let active = model_active_on(&mut q, on);
    let sc = q.scope("m", scope);
    let text = format!(
        "SELECT m.model_type AS kind, CAST(NULL AS TEXT) AS sub, COUNT(DISTINCT m.id) AS n1,
                COUNT(DISTINCT CASE WHEN {active} THEN m.id END) AS n2,
                COUNT(DISTINCT CASE WHEN {active} THEN mp.id END) AS n3
         FROM reintegration_models m
         LEFT JOIN model_participants mp ON mp.model_id = m.id AND mp.role = 'participant'
              AND mp.joined_on <= {t1} AND (mp.left_on IS NULL OR mp.left_on > {t2})
         WHERE COALESCE(m.founding_decision_date, m.status_since) <= {t3} AND {sc}
         GROUP BY m.model_type"
    );
    Ok(q.load::<KindRow>(conn, text)?.into_iter().map(|r| (r.kind, r.n1, r.n2, r.n3)).collect())
}

/// Communes of the unit with someone managed on `on`, and those of them with a model active on `on`.
pub fn model_coverage_on(conn: &mut DbConnection, scope: &[Jurisdiction], on: NaiveDate) -> ApiResult<(i64, i64)> {
    let managed = communes_with_managed(conn, scope, on, on)?;
    let with_model = communes_with_model(conn, scope, on)?;
    Ok((managed.len() as i64, with_model.intersection(&managed).count() as i64))
}

/// Plan items per (area, status) on `on`: each item's status is its latest update dated by
/// then, counted for persons managed that day in the unit.
pub fn plan_summary_on(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    on: NaiveDate,
) -> ApiResult<Vec<(String, String, i64)>> {
    let mut q = Sql::new(conn);
    let (t1, t2, t3, t4) = (q.date(on), q.date(on), q.date(on), q.date(on));
    let sc = q.scope("h", scope);
    let text = format!(
        "SELECT pi.area AS kind, u.status AS sub, COUNT(*) AS n1, CAST(0 AS BIGINT) AS n2, CAST(0 AS BIGINT) AS n3
         FROM plan_items pi
         JOIN plan_updates u ON u.plan_item_id = pi.id AND u.updated_on <= {t1}
         WHERE NOT EXISTS (
                 SELECT 1 FROM plan_updates u2
                 WHERE u2.plan_item_id = pi.id AND u2.updated_on <= {t2}
                   AND (u2.updated_on > u.updated_on
                        OR (u2.updated_on = u.updated_on AND u2.recorded_at > u.recorded_at)
                        OR (u2.updated_on = u.updated_on AND u2.recorded_at = u.recorded_at AND u2.id > u.id)))
           AND EXISTS (
                 SELECT 1 FROM person_status_history h
                 WHERE h.person_id = pi.person_id AND h.to_status IN {MANAGED} AND h.occurred_on <= {t3}
                   AND (h.valid_until IS NULL OR h.valid_until > {t4}) AND {sc})
         GROUP BY pi.area, u.status"
    );
    Ok(q.load::<KindRow>(conn, text)?.into_iter().map(|r| (r.kind, r.sub.unwrap_or_default(), r.n1)).collect())
}

fn models(conn: &mut DbConnection, scope: &[Jurisdiction], to: NaiveDate) -> ApiResult<Vec<KindRow>> {
    let mut q = Sql::new(conn);
    let (t1, t2) = (q.date(to), q.date(to));
    let active = model_active_on(&mut q, to);
    let sc = q.scope("m", scope);
    // Persons count as participants only while managed on `to` (an exit ends participation;
    // this also holds for participations recorded before that rule).
    let (t3, t4) = (q.date(to), q.date(to));
    let text = format!(
        "SELECT m.model_type AS kind, CAST(NULL AS TEXT) AS sub, COUNT(DISTINCT m.id) AS n1,
                COUNT(CASE WHEN EXISTS (SELECT 1 FROM person_status_history h
                                        WHERE h.person_id = mp.person_id AND h.to_status IN {MANAGED}
                                          AND h.occurred_on <= {t3} AND (h.valid_until IS NULL OR h.valid_until > {t4}))
                           THEN mp.person_id END) AS n2,
                COUNT(mp.id) AS n3
         FROM reintegration_models m
         LEFT JOIN model_participants mp ON mp.model_id = m.id AND mp.joined_on <= {t1}
              AND (mp.left_on IS NULL OR mp.left_on > {t2})
         WHERE {active} AND {sc}
         GROUP BY m.model_type"
    );
    q.load(conn, text)
}

fn communes_with_model(conn: &mut DbConnection, scope: &[Jurisdiction], to: NaiveDate) -> ApiResult<BTreeSet<String>> {
    let mut q = Sql::new(conn);
    let active = model_active_on(&mut q, to);
    let sc = q.scope("m", scope);
    let text = format!("SELECT DISTINCT m.unit_code AS code FROM reintegration_models m WHERE {active} AND {sc}");
    codes(conn, q, text)
}

fn outreach(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Vec<KindRow>> {
    let mut q = Sql::new(conn);
    let (f, t) = (q.date(from), q.date(to));
    let sc = q.scope("o", scope);
    let text = format!(
        "SELECT o.kind AS kind, CAST(NULL AS TEXT) AS sub, COUNT(*) AS n1,
                CAST(COALESCE(SUM(o.audience_count), 0) AS BIGINT) AS n2, CAST(COALESCE(SUM(o.quantity), 0) AS BIGINT) AS n3
         FROM outreach_events o WHERE o.held_on >= {f} AND o.held_on <= {t} AND {sc}
         GROUP BY o.kind"
    );
    q.load(conn, text)
}

fn communes_with_outreach(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<BTreeSet<String>> {
    let mut q = Sql::new(conn);
    let (f, t) = (q.date(from), q.date(to));
    let sc = q.scope("o", scope);
    // Events booked above the communes (province, VN: unit = province) hold no commune.
    let text = format!(
        "SELECT DISTINCT o.unit_code AS code FROM outreach_events o
         WHERE o.held_on >= {f} AND o.held_on <= {t} AND o.unit_code <> o.province_code AND {sc}"
    );
    codes(conn, q, text)
}

fn communes_with_propagandists(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    to: NaiveDate,
) -> ApiResult<BTreeSet<String>> {
    let mut q = Sql::new(conn);
    let (t1, t2) = (q.date(to), q.date(to));
    let sc = q.scope("g", scope);
    let text = format!(
        "SELECT DISTINCT g.unit_code AS code FROM propagandists g
         WHERE g.from_date <= {t1} AND (g.to_date IS NULL OR g.to_date >= {t2}) AND {sc}"
    );
    codes(conn, q, text)
}

/// All live figures for a unit and a period (targets are added by the service).
pub fn indicators(
    conn: &mut DbConnection,
    unit: &str,
    unit_name: &str,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Indicators> {
    // One snapshot for every figure; enough memory that the distinct counts and the
    // per-person aggregation sort and hash in memory, and no JIT (it costs more than it saves
    // on these one-off plans). Index pages are cached on a serving database, so the planner is
    // told random reads cost about as much as sequential ones: it then reads the narrow
    // covering indexes (see the `report_indexes` migration) instead of the wide tables.
    // On PostgreSQL the caseload, the heaviest part, is computed on a second connection in
    // the same snapshot while this one computes the rest: about half the wait for a national
    // report when the machine has a core to spare.
    let settings = ["work_mem = '64MB'", "jit = off", "random_page_cost = 1.1"];
    super::read_tx_with_lane(conn, &settings, |conn, lane| {
        std::thread::scope(|threads| {
            let beside = lane.map(|lane| threads.spawn(move || lane.run(|c| caseload(c, scope, from, to))));
            let managed = |conn: &mut DbConnection| match beside {
                None => caseload(conn, scope, from, to),
                Some(handle) => match handle.join() {
                    Ok(Ok(managed)) => Ok(managed),
                    Ok(Err(e)) => {
                        log::warn!("caseload on a second connection failed ({e}); computing it here");
                        caseload(conn, scope, from, to)
                    }
                    Err(_) => Err(ApiError::internal("caseload thread panicked")),
                },
            };
            indicators_in_snapshot(conn, unit, unit_name, scope, from, to, managed)
        })
    })
}

fn indicators_in_snapshot(
    conn: &mut DbConnection,
    unit: &str,
    unit_name: &str,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
    managed_persons: impl FnOnce(&mut DbConnection) -> ApiResult<Caseload>,
) -> ApiResult<Indicators> {
    let (received, exits, files_opened) = events(conn, scope, from, to)?;
    let with_managed = communes_with_managed(conn, scope, from, to)?;

    let (kinds, reached) = activities(conn, scope, from, to)?;
    let s = scalars(conn, scope, from, to)?;
    let mut support = Support {
        counselling_persons: reached.counselling,
        legal_help_persons: reached.legal,
        trainings_started: s.trainings_started,
        trained_persons: s.trained_persons,
        trainings_completed: s.trainings_completed,
        job_referrals: s.job_referrals,
        hires: s.hires,
        hired_persons: s.hired_persons,
        assistance_grants: s.assistance_grants,
        assistance_persons: s.assistance_persons,
        assistance_vnd: s.assistance_vnd,
        ..Default::default()
    };
    for kind in ActivityKind::ALL {
        let rows = kinds.iter().filter(|k| k.kind == kind.as_str());
        let count = rows.clone().map(|k| k.n1).sum();
        // Distinct persons cannot be summed across legal sub-kinds; `activities` counts them apart.
        let persons = match kind {
            ActivityKind::LegalSupport => reached.legal,
            _ => rows.clone().map(|k| k.n2).sum(),
        };
        support.activities.push(KindCount { kind: kind.as_str().into(), count, persons });
    }
    for sub in LegalSubKind::ALL {
        let row = kinds.iter().find(|k| k.kind == "legal_support" && k.sub.as_deref() == Some(sub.as_str()));
        support.legal_support.push(KindCount {
            kind: sub.as_str().into(),
            count: row.map_or(0, |r| r.n1),
            persons: row.map_or(0, |r| r.n2),
        });
    }
    let individual: i64 = kinds.iter().filter(|k| k.kind == "counselling_individual").map(|k| k.n1).sum();
    let group_sessions: i64 = kinds.iter().filter(|k| k.kind == "counselling_group").map(|k| k.n3).sum();
    support.counselling_sessions = individual + group_sessions;

    let model_rows = models(conn, scope, to)?;
    let outreach_rows = outreach(conn, scope, from, to)?;
    let with_model = communes_with_model(conn, scope, to)?;
    let with_outreach = communes_with_outreach(conn, scope, from, to)?;
    let with_propagandists = communes_with_propagandists(conn, scope, to)?;
    let among = |set: &BTreeSet<String>| with_managed.intersection(set).count() as i64;
    let mut org = Organisation {
        committees_active: s.committees_active,
        propagandists: s.propagandists,
        communes_with_managed: with_managed.len() as i64,
        communes_with_model: among(&with_model),
        communes_with_outreach: among(&with_outreach),
        communes_with_propagandists: among(&with_propagandists),
        ..Default::default()
    };
    for t in ModelType::ALL {
        let row = model_rows.iter().find(|r| r.kind == t.as_str());
        let (count, persons, all) = row.map_or((0, 0, 0), |r| (r.n1, r.n2, r.n3));
        org.models_by_type.push(KindCount { kind: t.as_str().into(), count, persons });
        org.models_active += count;
        org.model_person_participants += persons;
        org.model_participants += all;
    }
    for k in OutreachKind::ALL {
        let row = outreach_rows.iter().find(|r| r.kind == k.as_str());
        let (count, audience, quantity) = row.map_or((0, 0, 0), |r| (r.n1, r.n2, r.n3));
        org.outreach_by_kind.push(KindCount { kind: k.as_str().into(), count, persons: audience });
        org.outreach_events += count;
        org.outreach_audience += audience;
        org.outreach_quantity += quantity;
    }
    let loans = LoanFigures {
        listed_eligible: s.listed_eligible,
        applications: s.applications,
        disbursed_loans: s.disbursed_loans,
        borrowers: s.borrowers,
        disbursed_vnd: s.disbursed_vnd,
        outstanding_vnd: s.outstanding_vnd,
    };
    let facilities = super::facility_activities::pre_release_figures(conn, scope, from, to)?;
    let pre_release = PreRelease::from_figures(s.notices, &facilities);
    let mut managed = managed_persons(conn)?;
    managed.files_opened = files_opened;
    let reoffences = exits.reoffended + exits.law_violation;
    let employed = managed.at_end_employed_stable + managed.at_end_employed_unstable;
    let rates = Rates {
        reoffending_of_received: Rate::of(reoffences, received.total),
        reoffending_of_managed: Rate::of(reoffences, managed.during_period),
        trained: Rate::of(support.trained_persons, managed.during_period),
        placed_in_jobs: Rate::of(support.hired_persons, managed.during_period),
        given_loans: Rate::of(loans.borrowers, loans.listed_eligible),
        given_legal_help: Rate::of(support.legal_help_persons, managed.during_period),
        employed_at_end: Rate::of(employed, managed.at_end),
        communes_with_model: Rate::of(org.communes_with_model, org.communes_with_managed),
        communes_with_outreach: Rate::of(org.communes_with_outreach, org.communes_with_managed),
        communes_with_propagandists: Rate::of(org.communes_with_propagandists, org.communes_with_managed),
    };
    Ok(Indicators {
        unit: unit.to_string(),
        unit_name: unit_name.to_string(),
        from,
        to,
        received,
        exits,
        managed,
        support,
        loans,
        organisation: org,
        pre_release,
        rates,
        targets: Vec::new(),
        computed_at: chrono::Utc::now(),
    })
}

// ---- targets ----

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = rt)]
pub struct TargetRow {
    pub id: String,
    pub unit_code: String,
    pub province_code: String,
    pub year: i32,
    pub indicator: String,
    pub measure: String,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

pub fn target_for(conn: &mut DbConnection, unit: &str, year: i32, indicator: &str) -> ApiResult<Option<TargetRow>> {
    Ok(rt::table
        .filter(rt::unit_code.eq(unit))
        .filter(rt::year.eq(year))
        .filter(rt::indicator.eq(indicator))
        .select(TargetRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_target(conn: &mut DbConnection, row: &TargetRow) -> ApiResult<()> {
    diesel::insert_into(rt::table).values(row).execute(conn)?;
    Ok(())
}

pub fn update_target(conn: &mut DbConnection, row: &TargetRow) -> ApiResult<()> {
    diesel::update(rt::table.filter(rt::id.eq(&row.id))).set(row).execute(conn)?;
    Ok(())
}

/// Targets set by any of `units` for the year (the unit, its province and VN).
pub fn targets_of(conn: &mut DbConnection, units: &[String], year: i32) -> ApiResult<Vec<TargetRow>> {
    Ok(rt::table
        .filter(rt::unit_code.eq_any(units))
        .filter(rt::year.eq(year))
        .order((rt::indicator.asc(), rt::unit_code.asc()))
        .select(TargetRow::as_select())
        .load(conn)?)
}

/// A target by id, inside the caller's unit.
pub fn find_target_in(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<TargetRow> {
    let q = rt::table.filter(rt::id.eq(id)).into_boxed();
    in_unit!(q, scope, rt::unit_code, rt::province_code)
        .select(TargetRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

pub fn delete_target(conn: &mut DbConnection, id: &str) -> ApiResult<()> {
    diesel::delete(rt::table.filter(rt::id.eq(id))).execute(conn)?;
    Ok(())
}

// ---- reports ----

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = r, treat_none_as_null = true)]
pub struct ReportRow {
    pub id: String,
    pub unit_code: String,
    pub province_code: String,
    pub period_kind: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub year: i32,
    pub version_no: i32,
    pub supersedes_id: Option<String>,
    pub status: String,
    pub title: String,
    pub snapshot: String,
    pub sections: String,
    pub due_on: Option<NaiveDate>,
    pub created_by: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    pub submitted_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<String>,
    pub decision_comment: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// Reports visible to a unit: its own, and for a province or VN those of units inside it.
pub fn find_in(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<ReportRow> {
    let q = r::table.filter(r::id.eq(id)).into_boxed();
    in_unit!(q, scope, r::unit_code, r::province_code)
        .select(ReportRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

pub fn insert(conn: &mut DbConnection, row: &ReportRow) -> ApiResult<()> {
    diesel::insert_into(r::table).values(row).execute(conn)?;
    Ok(())
}

/// Saves a report if its version is still `expected` (409 otherwise).
pub fn save(conn: &mut DbConnection, row: &ReportRow, expected: i32) -> ApiResult<ReportRow> {
    let mut next = row.clone();
    next.version = expected + 1;
    next.updated_at = crate::time::now();
    let n =
        diesel::update(r::table.filter(r::id.eq(&row.id)).filter(r::version.eq(expected))).set(&next).execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    Ok(next)
}

/// The highest version number for a unit's period.
pub fn last_version_no(
    conn: &mut DbConnection,
    unit: &str,
    kind: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Option<i32>> {
    Ok(r::table
        .filter(r::unit_code.eq(unit))
        .filter(r::period_kind.eq(kind))
        .filter(r::period_from.eq(from))
        .filter(r::period_to.eq(to))
        .select(diesel::dsl::max(r::version_no))
        .first(conn)?)
}

pub struct ReportFilter {
    pub unit: Option<Jurisdiction>,
    pub period_kind: Option<String>,
    pub year: Option<i32>,
    pub status: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    f: &ReportFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<ReportRow>, i64)> {
    let build = || {
        let mut q = r::table.into_boxed();
        q = in_unit!(q, scope, r::unit_code, r::province_code);
        if let Some(u) = &f.unit {
            q = in_unit!(q, u, r::unit_code, r::province_code);
        }
        if let Some(k) = &f.period_kind {
            q = q.filter(r::period_kind.eq(k.clone()));
        }
        if let Some(y) = f.year {
            q = q.filter(r::year.eq(y));
        }
        if let Some(s) = &f.status {
            q = q.filter(r::status.eq(s.clone()));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows = build()
        .order((r::period_to.desc(), r::unit_code.asc(), r::version_no.desc()))
        .offset(offset)
        .limit(limit)
        .select(ReportRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The latest report per unit among `units` for a period kind and year (any status).
pub fn latest_for_units(conn: &mut DbConnection, units: &[String], kind: &str, year: i32) -> ApiResult<Vec<ReportRow>> {
    let rows: Vec<ReportRow> = r::table
        .filter(r::unit_code.eq_any(units))
        .filter(r::period_kind.eq(kind))
        .filter(r::year.eq(year))
        .order((r::unit_code.asc(), r::created_at.desc(), r::version_no.desc()))
        .select(ReportRow::as_select())
        .load(conn)?;
    Ok(rows)
}

/// Communes' latest submitted or accepted reports in a province for the same period.
pub fn submitted_in_province(
    conn: &mut DbConnection,
    province: &str,
    kind: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Vec<ReportRow>> {
    let rows: Vec<ReportRow> = r::table
        .filter(r::province_code.eq(province))
        .filter(r::unit_code.ne(province))
        .filter(r::period_kind.eq(kind))
        .filter(r::period_from.eq(from))
        .filter(r::period_to.eq(to))
        .filter(r::status.eq_any(["submitted", "accepted"]))
        .order((r::unit_code.asc(), r::version_no.desc()))
        .select(ReportRow::as_select())
        .load(conn)?;
    let mut latest: Vec<ReportRow> = Vec::new();
    for row in rows {
        if latest.last().is_none_or(|l| l.unit_code != row.unit_code) {
            latest.push(row);
        }
    }
    Ok(latest)
}
