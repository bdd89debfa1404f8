//! Work inside detention facilities: storage, the "records I created" scope, and the
//! figures the indicators take from it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::json_text::JsonText;
use super::schema::facility_activities as fa;
use super::schema::release_notices as rn;
use super::DbConnection;
use super::OrNotFound;
use crate::auth::{Auth, Jurisdiction};
use crate::domain::facility::{BriefingTopic, FacilityActivityKind};
use crate::domain::indicators::{PreRelease, Rate, Sessions};
use crate::error::ApiResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = fa)]
pub struct FacilityActivityRow {
    pub id: String,
    pub kind: FacilityActivityKind,
    pub occurred_on: NaiveDate,
    pub unit_code: String,
    pub province_code: String,
    pub facility: String,
    pub topic_code: Option<BriefingTopic>,
    pub persons: i32,
    pub person_ids: Option<JsonText<Vec<String>>>,
    pub attendance: i32,
    pub amount_vnd: i64,
    pub notes: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// The records a caller reaches: those of its unit, or, for a facility, those it created.
#[derive(Debug, Clone)]
pub struct ActivityScope {
    pub jurisdiction: Jurisdiction,
    pub created_by: Option<String>,
}

impl ActivityScope {
    pub fn of(auth: &Auth) -> ActivityScope {
        match auth.created_only() {
            Some(sub) => ActivityScope { jurisdiction: Jurisdiction::National, created_by: Some(sub.to_string()) },
            None => ActivityScope { jurisdiction: auth.jurisdiction.clone(), created_by: None },
        }
    }
}

macro_rules! activity_scoped {
    ($query:expr, $scope:expr) => {{
        let scope: &ActivityScope = $scope;
        let q = in_unit!($query, &scope.jurisdiction, fa::unit_code, fa::province_code);
        match &scope.created_by {
            Some(sub) => q.filter(fa::created_by.eq(sub.clone())),
            None => q,
        }
    }};
}

pub fn insert(conn: &mut DbConnection, row: &FacilityActivityRow) -> ApiResult<()> {
    super::insert(conn, fa::table, row)
}

pub fn find_in(conn: &mut DbConnection, scope: &ActivityScope, id: &str) -> ApiResult<FacilityActivityRow> {
    let q = fa::table.filter(fa::id.eq(id)).select(FacilityActivityRow::as_select()).into_boxed();
    activity_scoped!(q, scope).first(conn).or_not_found()
}

#[derive(Debug, Default)]
pub struct Filter {
    pub kind: Option<String>,
    pub unit: Option<Jurisdiction>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

pub fn list(
    conn: &mut DbConnection,
    scope: &ActivityScope,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<FacilityActivityRow>, i64)> {
    let build = || {
        let mut q = activity_scoped!(fa::table.into_boxed(), scope);
        if let Some(unit) = &f.unit {
            q = in_unit!(q, unit, fa::unit_code, fa::province_code);
        }
        if let Some(kind) = &f.kind {
            q = q.filter(fa::kind.eq(kind.clone()));
        }
        if let Some(from) = f.from {
            q = q.filter(fa::occurred_on.ge(from));
        }
        if let Some(to) = f.to {
            q = q.filter(fa::occurred_on.le(to));
        }
        q
    };
    Ok(paged!(conn, build, FacilityActivityRow, (fa::occurred_on.desc(), fa::id.desc()), offset, limit))
}

/// Pre-release figures of a set of reported units for a period, each counted on its own
/// date: facility activities by kind (in the facility's unit), and the counselling and
/// travel allowances recorded on release notices (in the destination commune, on
/// `counselling_held_on` and `travel_allowance_paid_on`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FacilityFigures {
    /// Per kind: (records, persons, attendance, amount_vnd).
    pub by_kind: Vec<(String, i64, i64, i64, i64)>,
    pub notice_counselling_sessions: i64,
    pub notice_allowances: i64,
    pub notice_allowance_vnd: i64,
    /// Prisoners held: each facility's latest `population` record in the period, added up.
    pub population: i64,
    /// Prisoners reached by `counselling` and `pre_release_education` records (`persons`,
    /// or `attendance` when larger).
    pub counselled_or_educated: i64,
}

impl FacilityFigures {
    /// (records, persons, attendance, amount_vnd) of one kind.
    pub fn of(&self, kind: FacilityActivityKind) -> (i64, i64, i64, i64) {
        self.by_kind
            .iter()
            .find(|k| k.0 == kind.as_str())
            .map_or((0, 0, 0, 0), |&(_, records, persons, attendance, amount)| (records, persons, attendance, amount))
    }
}

fn units_of(scope: &[Jurisdiction]) -> Option<(Vec<String>, Vec<String>)> {
    if scope.iter().any(|j| matches!(j, Jurisdiction::National)) {
        return None;
    }
    let provinces = scope
        .iter()
        .filter_map(|j| match j {
            Jurisdiction::Province(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    let communes = scope
        .iter()
        .filter_map(|j| match j {
            Jurisdiction::Commune(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    Some((provinces, communes))
}

pub fn pre_release_figures(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<FacilityFigures> {
    let units = units_of(scope);
    let mut q = fa::table.filter(fa::occurred_on.ge(from)).filter(fa::occurred_on.le(to)).into_boxed();
    if let Some((provinces, communes)) = &units {
        q = q.filter(fa::province_code.eq_any(provinces.clone()).or(fa::unit_code.eq_any(communes.clone())));
    }
    // A few records per facility and month: summed here rather than grouped in SQL.
    type Row = (String, i32, i32, i64, String, String, NaiveDate, String);
    let rows: Vec<Row> = q
        .select((
            fa::kind,
            fa::persons,
            fa::attendance,
            fa::amount_vnd,
            fa::unit_code,
            fa::facility,
            fa::occurred_on,
            fa::id,
        ))
        .load(conn)?;
    let mut by_kind: Vec<(String, i64, i64, i64, i64)> = Vec::new();
    // Per facility (its unit and name): the latest population record (day, id, persons).
    let mut populations: std::collections::BTreeMap<(String, String), (NaiveDate, String, i64)> = Default::default();
    let mut counselled_or_educated = 0;
    for (kind, persons, attendance, amount, unit, facility, on, id) in rows {
        match kind.as_str() {
            "population" => {
                let latest = populations.entry((unit, facility)).or_insert((on, id.clone(), i64::from(persons)));
                if (on, &id) > (latest.0, &latest.1) {
                    *latest = (on, id, i64::from(persons));
                }
            }
            "counselling" | "pre_release_education" => counselled_or_educated += i64::from(persons.max(attendance)),
            _ => {}
        }
        let at = match by_kind.iter().position(|k| k.0 == kind) {
            Some(i) => i,
            None => {
                by_kind.push((kind, 0, 0, 0, 0));
                by_kind.len() - 1
            }
        };
        let k = &mut by_kind[at];
        k.1 += 1;
        k.2 += i64::from(persons);
        k.3 += i64::from(attendance);
        k.4 += amount;
    }

    let in_units = |q: rn::BoxedQuery<'static, super::MultiBackend>| match &units {
        None => q,
        Some((provinces, communes)) => {
            q.filter(rn::province_code.eq_any(provinces.clone()).or(rn::unit_code.eq_any(communes.clone())))
        }
    };
    let counselling = in_units(rn::table.into_boxed())
        .filter(rn::counselling_held_on.ge(from))
        .filter(rn::counselling_held_on.le(to))
        .select(diesel::dsl::sql::<BigInt>("CAST(COALESCE(SUM(counselling_sessions), 0) AS BIGINT)"))
        .first(conn)?;
    let (allowances, allowance_vnd): (i64, i64) = in_units(rn::table.into_boxed())
        .filter(rn::travel_allowance_paid_on.ge(from))
        .filter(rn::travel_allowance_paid_on.le(to))
        .filter(rn::travel_allowance_vnd.gt(0))
        .select((
            diesel::dsl::sql::<BigInt>("CAST(COUNT(*) AS BIGINT)"),
            diesel::dsl::sql::<BigInt>("CAST(COALESCE(SUM(travel_allowance_vnd), 0) AS BIGINT)"),
        ))
        .first(conn)?;
    Ok(FacilityFigures {
        by_kind,
        notice_counselling_sessions: counselling,
        notice_allowances: allowances,
        notice_allowance_vnd: allowance_vnd,
        population: populations.values().map(|p| p.2).sum(),
        counselled_or_educated,
    })
}

impl FacilityFigures {
    /// The pre-release section from the notices dated in the period and these figures.
    pub fn pre_release(&self, notices: i64) -> PreRelease {
        let f = self;
        use crate::domain::facility::FacilityActivityKind as K;
        let (counselling, ..) = f.of(K::Counselling);
        let (_, allowance_persons, _, allowance_vnd) = f.of(K::TravelAllowance);
        let (briefings, _, attendance, _) = f.of(K::PolicyBriefing);
        PreRelease {
            notices,
            in_facility_counselling: f.notice_counselling_sessions + counselling,
            travel_allowances: f.notice_allowances + allowance_persons,
            travel_allowance_vnd: f.notice_allowance_vnd + allowance_vnd,
            intakes: f.of(K::Intake).1,
            certificate_requests: f.of(K::CompletionCertificateRequest).1,
            policy_briefings: Sessions { sessions: briefings, attendance },
            trainings: f.of(K::VocationalTraining).1,
            education_sessions: f.of(K::PreReleaseEducation).0,
            population: f.population,
            counselled_or_educated: f.counselled_or_educated,
            counselled_or_educated_of_held: Rate::of(f.counselled_or_educated, f.population),
            trained_of_held: Rate::of(f.of(K::VocationalTraining).1, f.population),
        }
    }
}
