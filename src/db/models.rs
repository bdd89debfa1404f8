//! Reintegration models, their milestones, participants and reviews; outreach and propagandists.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::json_text::JsonText;
use super::schema::{
    model_milestones as mm, model_participants as mp, model_reviews as mr, outreach_events as oe, persons as p,
    propagandists as pg, reintegration_models as rm,
};
use super::DbConnection;
use super::OrNotFound;
use crate::auth::Jurisdiction;
use crate::domain::enums::{
    ModelStatus, ModelStep, ModelType, Organisation, OutreachKind, OutreachTopic, ParticipantRole, ReviewKind,
    ReviewRating,
};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = rm)]
pub struct ModelRow {
    pub id: String,
    pub unit_code: String,
    pub province_code: String,
    pub name: String,
    pub name_folded: String,
    pub model_type: ModelType,
    pub sponsor_organisation: Option<Organisation>,
    pub committee_id: Option<String>,
    pub founding_decision_number: Option<String>,
    pub founding_decision_date: Option<NaiveDate>,
    pub description: Option<String>,
    pub business_lines: JsonText<Vec<String>>,
    pub status: ModelStatus,
    pub status_since: NaiveDate,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = mm)]
pub struct MilestoneRow {
    pub id: String,
    pub model_id: String,
    pub step: ModelStep,
    pub step_order: i32,
    pub achieved_on: NaiveDate,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = mp)]
pub struct ParticipantRow {
    pub id: String,
    pub model_id: String,
    pub person_id: Option<String>,
    pub member_id: Option<String>,
    pub helper_name: Option<String>,
    pub role: ParticipantRole,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = mr)]
pub struct ReviewRow {
    pub id: String,
    pub model_id: String,
    pub kind: ReviewKind,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub reviewed_on: NaiveDate,
    pub rating: ReviewRating,
    pub findings: Option<String>,
    pub commendation: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert_model(conn: &mut DbConnection, row: &ModelRow) -> ApiResult<()> {
    super::insert(conn, rm::table, row)
}

pub fn find_model(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<ModelRow> {
    let q = rm::table.filter(rm::id.eq(id)).select(ModelRow::as_select()).into_boxed();
    in_unit!(q, scope, rm::unit_code, rm::province_code).first(conn).or_not_found()
}

pub fn set_model_status(conn: &mut DbConnection, m: &ModelRow, status: ModelStatus, since: NaiveDate) -> ApiResult<()> {
    let n = diesel::update(rm::table.filter(rm::id.eq(&m.id)).filter(rm::version.eq(m.version)))
        .set((
            rm::status.eq(status),
            rm::status_since.eq(since),
            rm::updated_at.eq(crate::time::now()),
            rm::version.eq(m.version + 1),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::conflict("concurrent_change", "the model changed meanwhile; retry"));
    }
    Ok(())
}

pub struct ModelFilter {
    pub unit: Option<Jurisdiction>,
    pub model_type: Option<String>,
    pub status: Option<String>,
}

pub fn list_models(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    f: &ModelFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<ModelRow>, i64)> {
    let build = || {
        let mut q = in_unit!(rm::table.into_boxed(), scope, rm::unit_code, rm::province_code);
        if let Some(u) = &f.unit {
            q = in_unit!(q, u, rm::unit_code, rm::province_code);
        }
        if let Some(t) = &f.model_type {
            q = q.filter(rm::model_type.eq(t.clone()));
        }
        if let Some(s) = &f.status {
            q = q.filter(rm::status.eq(s.clone()));
        }
        q
    };
    Ok(paged!(conn, build, ModelRow, (rm::unit_code.asc(), rm::name.asc(), rm::id.asc()), offset, limit))
}

pub fn milestones(conn: &mut DbConnection, model_id: &str) -> ApiResult<Vec<MilestoneRow>> {
    Ok(mm::table
        .filter(mm::model_id.eq(model_id))
        .order(mm::step_order.asc())
        .select(MilestoneRow::as_select())
        .load(conn)?)
}

pub fn insert_milestone(conn: &mut DbConnection, row: &MilestoneRow) -> ApiResult<()> {
    super::insert(conn, mm::table, row)
}

pub fn participants(conn: &mut DbConnection, model_id: &str) -> ApiResult<Vec<ParticipantRow>> {
    Ok(mp::table
        .filter(mp::model_id.eq(model_id))
        .order((mp::joined_on.asc(), mp::id.asc()))
        .select(ParticipantRow::as_select())
        .load(conn)?)
}

pub fn insert_participant(conn: &mut DbConnection, row: &ParticipantRow) -> ApiResult<()> {
    super::insert(conn, mp::table, row)
}

pub fn leave(conn: &mut DbConnection, model_id: &str, id: &str, on: NaiveDate) -> ApiResult<ParticipantRow> {
    let row: ParticipantRow = mp::table
        .filter(mp::id.eq(id))
        .filter(mp::model_id.eq(model_id))
        .select(ParticipantRow::as_select())
        .first(conn)
        .or_not_found()?;
    if row.left_on.is_some() {
        return Err(ApiError::conflict("already_left", "the participant has already left"));
    }
    if on < row.joined_on {
        return Err(ApiError::invalid("left_on", "must not be before joined_on"));
    }
    diesel::update(mp::table.find(id)).set(mp::left_on.eq(on)).execute(conn)?;
    Ok(ParticipantRow { left_on: Some(on), ..row })
}

/// Ends on `on` every participation of a person still running on that day (or ending
/// later), never before the day it began; answers the participations ended, with their
/// model's unit for the audit.
pub fn end_participations(
    conn: &mut DbConnection,
    person_id: &str,
    on: NaiveDate,
) -> ApiResult<Vec<(ParticipantRow, String, String)>> {
    let rows: Vec<(ParticipantRow, String, String)> = mp::table
        .inner_join(rm::table.on(rm::id.eq(mp::model_id)))
        .filter(mp::person_id.eq(person_id))
        .filter(mp::left_on.is_null().or(mp::left_on.gt(on)))
        .select((ParticipantRow::as_select(), rm::unit_code, rm::province_code))
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, unit, province) in rows {
        let left = on.max(row.joined_on);
        diesel::update(mp::table.find(&row.id)).set(mp::left_on.eq(left)).execute(conn)?;
        out.push((ParticipantRow { left_on: Some(left), ..row }, unit, province));
    }
    Ok(out)
}

/// Persons currently in each model (one grouped query for a page of models).
pub fn active_participant_counts(conn: &mut DbConnection, model_ids: &[&str]) -> ApiResult<Vec<(String, i64)>> {
    Ok(mp::table
        .filter(mp::model_id.eq_any(model_ids))
        .filter(mp::left_on.is_null())
        .filter(mp::role.eq("participant"))
        .group_by(mp::model_id)
        .select((mp::model_id, diesel::dsl::count_star()))
        .load(conn)?)
}

pub fn reviews(conn: &mut DbConnection, model_id: &str) -> ApiResult<Vec<ReviewRow>> {
    Ok(mr::table
        .filter(mr::model_id.eq(model_id))
        .order(mr::reviewed_on.asc())
        .select(ReviewRow::as_select())
        .load(conn)?)
}

pub fn insert_review(conn: &mut DbConnection, row: &ReviewRow) -> ApiResult<()> {
    super::insert(conn, mr::table, row)
}

/// (type, models, active models, participants in active models) over the unit.
pub fn type_counts(conn: &mut DbConnection, scope: &Jurisdiction) -> ApiResult<Vec<(String, i64, i64, i64)>> {
    let q = rm::table.group_by(rm::model_type).select((rm::model_type, diesel::dsl::count_star())).into_boxed();
    let all: Vec<(String, i64)> = in_unit!(q, scope, rm::unit_code, rm::province_code).load(conn)?;
    let q = rm::table
        .filter(rm::status.eq("active"))
        .group_by(rm::model_type)
        .select((rm::model_type, diesel::dsl::count_star()))
        .into_boxed();
    let active: Vec<(String, i64)> = in_unit!(q, scope, rm::unit_code, rm::province_code).load(conn)?;
    let q = mp::table
        .inner_join(rm::table.on(rm::id.eq(mp::model_id)))
        .filter(rm::status.eq("active"))
        .filter(mp::left_on.is_null())
        .filter(mp::role.eq("participant"))
        .group_by(rm::model_type)
        .select((rm::model_type, diesel::dsl::count_star()))
        .into_boxed();
    let participants: Vec<(String, i64)> = in_unit!(q, scope, rm::unit_code, rm::province_code).load(conn)?;
    let find = |list: &[(String, i64)], t: &str| list.iter().find(|(k, _)| k == t).map(|(_, n)| *n).unwrap_or(0);
    Ok(all.iter().map(|(t, n)| (t.clone(), *n, find(&active, t), find(&participants, t))).collect())
}

/// Communes of the unit with persons under management, and those of them with an active model.
pub fn coverage(conn: &mut DbConnection, scope: &Jurisdiction) -> ApiResult<(i64, i64)> {
    let q = p::table.filter(p::status.eq("under_management")).select(p::unit_code).distinct().into_boxed();
    let managed: Vec<String> = in_unit!(q, scope, p::unit_code, p::province_code).load(conn)?;
    let q = rm::table
        .filter(rm::status.eq("active"))
        .filter(rm::unit_code.eq_any(&managed))
        .select(rm::unit_code)
        .distinct()
        .into_boxed();
    let with_model: Vec<String> = in_unit!(q, scope, rm::unit_code, rm::province_code).load(conn)?;
    Ok((managed.len() as i64, with_model.len() as i64))
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = oe)]
pub struct OutreachRow {
    pub id: String,
    pub unit_code: String,
    pub province_code: String,
    pub held_on: NaiveDate,
    pub kind: OutreachKind,
    pub topic: String,
    pub organiser: Option<String>,
    pub audience_count: i32,
    pub quantity: i32,
    pub model_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    /// `OutreachTopic`; `topic` is the event's title.
    pub topic_code: OutreachTopic,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = pg)]
pub struct PropagandistRow {
    pub id: String,
    pub unit_code: String,
    pub province_code: String,
    pub full_name: String,
    pub organisation: Option<Organisation>,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

pub fn insert_outreach(conn: &mut DbConnection, row: &OutreachRow) -> ApiResult<()> {
    super::insert(conn, oe::table, row)
}

pub struct OutreachFilter {
    pub unit: Option<Jurisdiction>,
    pub kind: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

macro_rules! outreach_query {
    ($scope:expr, $f:expr) => {
        outreach_query!(oe::table.into_boxed(), $scope, $f)
    };
    ($base:expr, $scope:expr, $f:expr) => {{
        let mut q = in_unit!($base, $scope, oe::unit_code, oe::province_code);
        if let Some(u) = &$f.unit {
            q = in_unit!(q, u, oe::unit_code, oe::province_code);
        }
        if let Some(k) = &$f.kind {
            q = q.filter(oe::kind.eq(k.clone()));
        }
        if let Some(d) = $f.from {
            q = q.filter(oe::held_on.ge(d));
        }
        if let Some(d) = $f.to {
            q = q.filter(oe::held_on.le(d));
        }
        q
    }};
}

pub fn list_outreach(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    f: &OutreachFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<OutreachRow>, i64)> {
    Ok(paged!(conn, || outreach_query!(scope, f), OutreachRow, (oe::held_on.desc(), oe::id.desc()), offset, limit))
}

/// (kind, events, audience, quantity).
pub type KindTotals = (String, i64, i64, i64);

/// Totals per kind and the number of communes holding events.
pub fn outreach_totals(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    f: &OutreachFilter,
) -> ApiResult<(Vec<KindTotals>, i64)> {
    let grouped = oe::table
        .group_by(oe::kind)
        .select((
            oe::kind,
            diesel::dsl::count_star(),
            diesel::dsl::sql::<diesel::sql_types::Nullable<BigInt>>("CAST(SUM(audience_count) AS BIGINT)"),
            diesel::dsl::sql::<diesel::sql_types::Nullable<BigInt>>("CAST(SUM(quantity) AS BIGINT)"),
        ))
        .into_boxed();
    let rows: Vec<(String, i64, Option<i64>, Option<i64>)> = outreach_query!(grouped, scope, f).load(conn)?;
    // Events booked on a province or on VN (unit = province) are held in no commune.
    let communes: Vec<String> = outreach_query!(scope, f)
        .filter(oe::unit_code.ne(oe::province_code))
        .select(oe::unit_code)
        .distinct()
        .load(conn)?;
    Ok((rows.into_iter().map(|(k, n, a, q)| (k, n, a.unwrap_or(0), q.unwrap_or(0))).collect(), communes.len() as i64))
}

pub fn insert_propagandist(conn: &mut DbConnection, row: &PropagandistRow) -> ApiResult<()> {
    super::insert(conn, pg::table, row)
}

pub fn list_propagandists(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    unit: Option<&Jurisdiction>,
) -> ApiResult<Vec<PropagandistRow>> {
    let mut q = in_unit!(pg::table.into_boxed(), scope, pg::unit_code, pg::province_code);
    if let Some(u) = unit {
        q = in_unit!(q, u, pg::unit_code, pg::province_code);
    }
    Ok(q.select(PropagandistRow::as_select())
        .order((pg::unit_code.asc(), pg::full_name.asc()))
        .limit(1000)
        .load(conn)?)
}

/// Communes with at least one propagandist active on `on`.
pub fn communes_with_propagandists(conn: &mut DbConnection, scope: &Jurisdiction, on: NaiveDate) -> ApiResult<i64> {
    let q = pg::table
        .filter(pg::from_date.le(on))
        .filter(pg::to_date.is_null().or(pg::to_date.ge(on)))
        .select(pg::unit_code)
        .distinct()
        .into_boxed();
    let units: Vec<String> = in_unit!(q, scope, pg::unit_code, pg::province_code).load(conn)?;
    Ok(units.len() as i64)
}
