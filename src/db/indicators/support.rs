//! Support activities: counts by kind and the persons reached.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::sql::{national, CountRow, KindRow, Sql};
use crate::auth::Jurisdiction;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};

#[derive(QueryableByName)]
pub(super) struct ActivityPersons {
    #[diesel(sql_type = BigInt)]
    pub(super) counselling: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) legal: i64,
}

/// Distinct persons counselled (either kind) and given legal help (any sub-kind), in one scan.
pub(super) fn activity_persons(
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
pub(super) fn activities(
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
pub(super) struct NationalKindRow {
    #[diesel(sql_type = Text)]
    pub(super) kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) sub: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub(super) n: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) first_of_kind: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) first_of_family: i64,
}

/// The whole country: 2 million rows are too many to sort or hash by person for each
/// distinct count, so persons are counted as the activities that are a person's first of
/// their kind (or family) in the period (`prev_*_on` before `from`; see the
/// `activity_order` migration). Exact, one scan, no per-person state. Smaller units keep
/// plain `COUNT(DISTINCT)`: a person's previous activity may lie in another unit.
pub(super) fn national_activities(
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

pub(super) fn activity_kinds(
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
