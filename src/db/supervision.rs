//! Supervision assignments, the activity log and the personal plan.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::persons::PersonRow;
use super::schema::{
    activities as act, activity_revisions as rev, persons as p, plan_items as pi, plan_updates as pu,
    supervision_assignments as sa,
};
use super::DbConnection;
use super::OrNotFound;
use crate::auth::Jurisdiction;
use crate::domain::activity_order::{self, Linked};
use crate::domain::enums::{
    ActivityKind, LegalSubKind, Organisation, PlanArea, PlanStatus, ResponsibleAgency, SupervisorKind,
};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = sa)]
pub struct AssignmentRow {
    pub id: String,
    pub person_id: String,
    pub unit_code: String,
    pub province_code: String,
    pub supervisor_kind: SupervisorKind,
    pub supervisor_name: String,
    pub organisation: Option<Organisation>,
    pub contact: Option<String>,
    pub account_id: Option<String>,
    pub committee_member_id: Option<String>,
    pub is_primary: bool,
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

pub fn insert_assignment(conn: &mut DbConnection, row: &AssignmentRow) -> ApiResult<()> {
    super::insert(conn, sa::table, row)
}

pub fn active_primary(conn: &mut DbConnection, person_id: &str) -> ApiResult<Option<AssignmentRow>> {
    Ok(sa::table
        .filter(sa::person_id.eq(person_id))
        .filter(sa::is_primary.eq(true))
        .filter(sa::to_date.is_null())
        .select(AssignmentRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn active_for_person(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<AssignmentRow>> {
    Ok(sa::table
        .filter(sa::person_id.eq(person_id))
        .filter(sa::to_date.is_null())
        .select(AssignmentRow::as_select())
        .load(conn)?)
}

pub fn end_assignment(conn: &mut DbConnection, id: &str, to_date: NaiveDate, reason: &str) -> ApiResult<()> {
    let n = diesel::update(sa::table.filter(sa::id.eq(id)).filter(sa::to_date.is_null()))
        .set((
            sa::to_date.eq(to_date),
            sa::end_reason.eq(reason),
            sa::updated_at.eq(crate::time::now()),
            sa::version.eq(sa::version + 1),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::conflict("assignment_ended", "the assignment has already ended"));
    }
    Ok(())
}

pub fn for_person(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<AssignmentRow>> {
    Ok(sa::table
        .filter(sa::person_id.eq(person_id))
        .order((sa::from_date.asc(), sa::id.asc()))
        .select(AssignmentRow::as_select())
        .load(conn)?)
}

pub fn find_assignment(conn: &mut DbConnection, scope: &Jurisdiction, id: &str) -> ApiResult<AssignmentRow> {
    let q = sa::table.filter(sa::id.eq(id)).select(AssignmentRow::as_select()).into_boxed();
    in_unit!(q, scope, sa::unit_code, sa::province_code).first(conn).or_not_found()
}

#[derive(Debug, Default)]
pub struct AssignmentFilter {
    pub account_id: Option<String>,
    pub active: Option<bool>,
    pub person_id: Option<String>,
}

pub fn list_assignments(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    f: &AssignmentFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<AssignmentRow>, i64)> {
    let build = || {
        let mut q = in_unit!(sa::table.into_boxed(), scope, sa::unit_code, sa::province_code);
        if let Some(a) = &f.account_id {
            q = q.filter(sa::account_id.eq(a.clone()));
        }
        match f.active {
            Some(true) => q = q.filter(sa::to_date.is_null()),
            Some(false) => q = q.filter(sa::to_date.is_not_null()),
            None => {}
        }
        if let Some(pid) = &f.person_id {
            q = q.filter(sa::person_id.eq(pid.clone()));
        }
        q
    };
    Ok(paged!(conn, build, AssignmentRow, (sa::from_date.desc(), sa::id.desc()), offset, limit))
}

// `None` is bound as NULL rather than written as `DEFAULT`, so the insert has one shape and
// diesel keeps it prepared (it never caches a statement that may contain `DEFAULT`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = act, treat_none_as_default_value = false)]
pub struct ActivityRow {
    pub id: String,
    pub person_id: String,
    pub unit_code: String,
    pub province_code: String,
    pub kind: ActivityKind,
    pub legal_sub_kind: Option<LegalSubKind>,
    pub occurred_on: NaiveDate,
    pub group_session_id: Option<String>,
    pub author_sub: String,
    pub author_name: Option<String>,
    pub place: Option<String>,
    pub notes: Option<String>,
    pub outcome: Option<String>,
    pub next_follow_up_on: Option<NaiveDate>,
    pub deleted: bool,
    pub deleted_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// Takes the lock that serialises writes to one person's activity log, held to the end of
/// the transaction: the order links of an insert are worked out from the rows already there,
/// so two writers for the same person must not interleave. SQLite's write transactions
/// (`BEGIN IMMEDIATE`) are already serial; PostgreSQL locks the person's row (as
/// [`super::persons::find_in_for_update`] does, for a person written alone).
pub fn lock_activity_log(conn: &mut DbConnection, person_id: &str) -> ApiResult<()> {
    if let DbConnection::Postgresql(c) = conn {
        p::table.find(person_id).select(p::id).for_update().execute(c)?;
    }
    Ok(())
}

/// Inserts a new activity with its order links and relinks the next activity of its kind
/// and of its family ([`activity_order::link_new`]): an indexed read of the person's latest
/// activities of the family (all of them only when those do not settle the links), the
/// insert, and an update only for a late-written activity.
/// The caller holds [`lock_activity_log`].
pub fn insert_linked_activity(conn: &mut DbConnection, row: &ActivityRow) -> ApiResult<()> {
    /// Rows read newest first: a few months of a busy person's log.
    const LATEST: i64 = 32;
    type LinkColumns = (String, String, Option<String>, NaiveDate, Option<NaiveDate>, Option<NaiveDate>);
    let to_linked = |rows: Vec<LinkColumns>| -> Vec<Linked> {
        rows.into_iter()
            .map(|(id, kind, sub, on, prev_kind_on, prev_family_on)| Linked {
                id,
                kind,
                sub,
                on,
                prev_kind_on,
                prev_family_on,
            })
            .collect()
    };
    let kinds = activity_order::family_kinds(row.kind.as_str());
    // Always two kinds in the filter (the same one twice outside counselling), so that each
    // statement has one shape and stays prepared.
    let (k1, k2) = (kinds[0], kinds[kinds.len() - 1]);
    let family = || {
        act::table
            .filter(act::person_id.eq(&row.person_id))
            .filter(act::deleted.eq(false))
            .filter(act::kind.eq(k1).or(act::kind.eq(k2)))
            .select((act::id, act::kind, act::legal_sub_kind, act::occurred_on, act::prev_kind_on, act::prev_family_on))
    };
    let new = Linked {
        id: row.id.clone(),
        kind: row.kind.as_str().to_string(),
        sub: row.legal_sub_kind.map(|k| k.as_str().to_string()),
        on: row.occurred_on,
        prev_kind_on: None,
        prev_family_on: None,
    };
    let latest = to_linked(family().order(act::occurred_on.desc()).limit(LATEST).load(conn)?);
    let whole = (latest.len() as i64) < LATEST;
    let links = match activity_order::link_new_from_latest(&latest, whole, &new) {
        Some(links) => links,
        None => activity_order::link_new(&to_linked(family().load(conn)?), &new),
    };
    diesel::insert_into(act::table)
        .values((row, act::prev_kind_on.eq(links.prev_kind_on), act::prev_family_on.eq(links.prev_family_on)))
        .execute(conn)?;
    for r in links.relinks {
        let target = act::table.find(&r.id);
        match (r.prev_kind_on, r.prev_family_on) {
            (Some(k), Some(f)) => {
                diesel::update(target).set((act::prev_kind_on.eq(k), act::prev_family_on.eq(f))).execute(conn)?
            }
            (Some(k), None) => diesel::update(target).set(act::prev_kind_on.eq(k)).execute(conn)?,
            (None, Some(f)) => diesel::update(target).set(act::prev_family_on.eq(f)).execute(conn)?,
            (None, None) => 0,
        };
    }
    Ok(())
}

pub fn find_activity(conn: &mut DbConnection, person_id: &str, id: &str) -> ApiResult<ActivityRow> {
    act::table
        .filter(act::id.eq(id))
        .filter(act::person_id.eq(person_id))
        .select(ActivityRow::as_select())
        .first(conn)
        .or_not_found()
}

/// Replaces an activity's content, keeping the previous version as a revision.
pub fn revise_activity(
    conn: &mut DbConnection,
    before: &ActivityRow,
    after: &ActivityRow,
    actor: &str,
    reason: &str,
) -> ApiResult<()> {
    diesel::insert_into(rev::table)
        .values((
            rev::id.eq(uuid::Uuid::now_v7().to_string()),
            rev::activity_id.eq(&before.id),
            rev::version.eq(before.version),
            rev::snapshot.eq(serde_json::to_string(before).unwrap_or_default()),
            rev::actor_sub.eq(actor),
            rev::reason.eq(reason),
            rev::recorded_at.eq(crate::time::now()),
        ))
        .execute(conn)?;
    let n = diesel::update(act::table.filter(act::id.eq(&before.id)).filter(act::version.eq(before.version)))
        .set((
            act::occurred_on.eq(after.occurred_on),
            act::legal_sub_kind.eq(&after.legal_sub_kind),
            act::place.eq(&after.place),
            act::notes.eq(&after.notes),
            act::outcome.eq(&after.outcome),
            act::next_follow_up_on.eq(after.next_follow_up_on),
            act::deleted.eq(after.deleted),
            act::deleted_reason.eq(&after.deleted_reason),
            act::updated_at.eq(crate::time::now()),
            act::version.eq(before.version + 1),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    Ok(())
}

#[derive(Debug, Default)]
pub struct ActivityFilter {
    pub kind: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub include_deleted: bool,
}

pub fn list_activities(
    conn: &mut DbConnection,
    person_id: &str,
    f: &ActivityFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<ActivityRow>, i64)> {
    let build = || {
        let mut q = act::table.filter(act::person_id.eq(person_id.to_string())).into_boxed();
        if !f.include_deleted {
            q = q.filter(act::deleted.eq(false));
        }
        if let Some(k) = &f.kind {
            q = q.filter(act::kind.eq(k.clone()));
        }
        if let Some(d) = f.from {
            q = q.filter(act::occurred_on.ge(d));
        }
        if let Some(d) = f.to {
            q = q.filter(act::occurred_on.le(d));
        }
        q
    };
    Ok(paged!(conn, build, ActivityRow, (act::occurred_on.desc(), act::id.desc()), offset, limit))
}

/// The window that orders a person's live activities for the national distinct-person
/// counts (see the `activity_order` migration). `{filter}` narrows the rows renumbered.
fn activity_order_sql(filter: &str, outer_filter: &str) -> String {
    format!(
        "UPDATE activities SET prev_kind_on = o.pk, prev_family_on = o.pf
         FROM (SELECT id, occurred_on,
                      LAG(occurred_on) OVER (PARTITION BY person_id, kind, legal_sub_kind ORDER BY occurred_on, id) AS pk,
                      LAG(occurred_on) OVER (PARTITION BY person_id,
                                             CASE WHEN kind IN ('counselling_individual', 'counselling_group')
                                                  THEN 'counselling' ELSE kind END
                                             ORDER BY occurred_on, id) AS pf
               FROM activities WHERE NOT deleted {filter}) o
         WHERE activities.id = o.id {outer_filter}
           AND (activities.prev_kind_on IS DISTINCT FROM o.pk OR activities.prev_family_on IS DISTINCT FROM o.pf)"
    )
}

/// Re-chains a person's live activities after a correction or deletion on `since`
/// (the earlier date, for a correction that moves one). An activity's previous-day columns
/// depend only on the activities ordered before it, so rows dated before `since` cannot
/// change: the window reads all of the person's rows, but only those from `since` on are
/// compared and written (usually one, against a few dozen).
pub fn refresh_activity_order(conn: &mut DbConnection, person_id: &str, since: NaiveDate) -> ApiResult<()> {
    let (filter, outer) = match conn {
        DbConnection::Postgresql(_) => ("AND person_id = $1", "AND o.occurred_on >= $2"),
        DbConnection::Sqlite(_) => ("AND person_id = ?1", "AND o.occurred_on >= ?2"),
    };
    diesel::sql_query(activity_order_sql(filter, outer))
        .into_boxed::<crate::db::MultiBackend>()
        .bind::<diesel::sql_types::Text, _>(person_id)
        .bind::<diesel::sql_types::Date, _>(since)
        .execute(conn)?;
    Ok(())
}

/// After a new activity: the person's last contact and last check-in only move forward, so
/// each is a conditional update of one row by key, not a recompute.
/// Corrections and deletions, which can move them back, use [`refresh_contact_dates`].
///
/// `current` is the person's row as read under the caller's lock, when it was: dates it
/// already shows as late or later need no statement (most activities are written on the day,
/// after an earlier one). Without it each update keeps its own condition.
pub fn note_new_activity(
    conn: &mut DbConnection,
    person_id: &str,
    current: Option<&PersonRow>,
    kind: ActivityKind,
    on: NaiveDate,
) -> ApiResult<()> {
    let stale = |known: fn(&PersonRow) -> Option<NaiveDate>| current.is_none_or(|p| known(p).is_none_or(|d| d < on));
    if kind.is_contact() && stale(|p| p.last_contact_on) {
        diesel::update(p::table.find(person_id))
            .filter(p::last_contact_on.is_null().or(p::last_contact_on.lt(on)))
            .set(p::last_contact_on.eq(on))
            .execute(conn)?;
    }
    if kind == ActivityKind::CheckIn && stale(|p| p.last_check_in_on) {
        diesel::update(p::table.find(person_id))
            .filter(p::last_check_in_on.is_null().or(p::last_check_in_on.lt(on)))
            .set(p::last_check_in_on.eq(on))
            .execute(conn)?;
    }
    Ok(())
}

/// Recomputes the person's last contact and last check-in from the log (so corrections and
/// deletions are reflected): one statement, the two maxima as subqueries, so no
/// read-modify-write race and one round trip.
pub fn refresh_contact_dates(conn: &mut DbConnection, person_id: &str) -> ApiResult<()> {
    // The kinds are our own enum's names, never input: safe to write into the SQL.
    let contact_kinds = ActivityKind::ALL
        .iter()
        .filter(|k| k.is_contact())
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let person = match conn {
        DbConnection::Postgresql(_) => "$1",
        DbConnection::Sqlite(_) => "?1",
    };
    let sql = format!(
        "UPDATE persons SET
           last_contact_on = (SELECT MAX(occurred_on) FROM activities
                              WHERE person_id = persons.id AND NOT deleted AND kind IN ({contact_kinds})),
           last_check_in_on = (SELECT MAX(occurred_on) FROM activities
                               WHERE person_id = persons.id AND NOT deleted AND kind = 'check_in')
         WHERE id = {person}"
    );
    diesel::sql_query(sql)
        .into_boxed::<crate::db::MultiBackend>()
        .bind::<diesel::sql_types::Text, _>(person_id)
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = pi)]
pub struct PlanItemRow {
    pub id: String,
    pub person_id: String,
    pub unit_code: String,
    pub province_code: String,
    pub area: PlanArea,
    pub goal: Option<String>,
    pub status: PlanStatus,
    pub responsible_agency: Option<ResponsibleAgency>,
    pub updated_on: NaiveDate,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pu)]
pub struct PlanUpdateRow {
    pub id: String,
    pub plan_item_id: String,
    pub status: PlanStatus,
    pub note: Option<String>,
    pub updated_on: NaiveDate,
    pub actor_sub: Option<String>,
    pub recorded_at: NaiveDateTime,
}

pub fn plan_items(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<PlanItemRow>> {
    Ok(pi::table.filter(pi::person_id.eq(person_id)).select(PlanItemRow::as_select()).load(conn)?)
}

pub fn plan_updates(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<PlanUpdateRow>> {
    Ok(pu::table
        .inner_join(pi::table.on(pi::id.eq(pu::plan_item_id)))
        .filter(pi::person_id.eq(person_id))
        .order(pu::id.asc())
        .select(PlanUpdateRow::as_select())
        .load(conn)?)
}

pub fn find_plan_item(conn: &mut DbConnection, person_id: &str, area: PlanArea) -> ApiResult<Option<PlanItemRow>> {
    Ok(pi::table
        .filter(pi::person_id.eq(person_id))
        .filter(pi::area.eq(area))
        .select(PlanItemRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn upsert_plan_item(conn: &mut DbConnection, row: &PlanItemRow, existed: bool) -> ApiResult<()> {
    if existed {
        diesel::update(pi::table.find(&row.id))
            .set((
                pi::goal.eq(&row.goal),
                pi::status.eq(&row.status),
                pi::responsible_agency.eq(&row.responsible_agency),
                pi::updated_on.eq(row.updated_on),
                pi::updated_at.eq(row.updated_at),
                pi::version.eq(row.version),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(pi::table).values(row).execute(conn)?;
    }
    Ok(())
}

pub fn add_plan_update(
    conn: &mut DbConnection,
    item_id: &str,
    status: PlanStatus,
    note: Option<&str>,
    on: NaiveDate,
    actor: &str,
) -> ApiResult<()> {
    diesel::insert_into(pu::table)
        .values((
            pu::id.eq(uuid::Uuid::now_v7().to_string()),
            pu::plan_item_id.eq(item_id),
            pu::status.eq(status),
            pu::note.eq(note),
            pu::updated_on.eq(on),
            pu::actor_sub.eq(actor),
            pu::recorded_at.eq(crate::time::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// (area, status, persons) over the unit's persons still active.
pub fn plan_summary(conn: &mut DbConnection, scope: &Jurisdiction) -> ApiResult<Vec<(String, String, i64)>> {
    let q = pi::table
        .inner_join(p::table.on(p::id.eq(pi::person_id)))
        .filter(p::active.eq(true))
        .group_by((pi::area, pi::status))
        .select((pi::area, pi::status, diesel::dsl::count_star()))
        .into_boxed();
    Ok(in_unit!(q, scope, pi::unit_code, pi::province_code).load(conn)?)
}
