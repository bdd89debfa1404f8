//! The transactional outbox: events are inserted by the writer, inside its transaction, so
//! an event exists exactly when its change committed.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::schema::{domain_events as de, expungement_due_notices as edn, persons as p};
use super::DbConnection;
use crate::auth::Jurisdiction;
use crate::domain::events::Cursor;
use crate::error::ApiResult;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = de)]
pub struct EventRow {
    pub id: i64,
    pub xid: i64,
    pub event_id: String,
    pub event_type: String,
    pub entity_type: String,
    pub entity_id: String,
    pub unit_code: String,
    pub province_code: String,
    pub occurred_at: NaiveDateTime,
}

impl EventRow {
    pub fn cursor(&self) -> Cursor {
        Cursor { xid: self.xid, id: self.id }
    }
}

/// Records an event in the caller's transaction.
pub fn emit(
    conn: &mut DbConnection,
    event_type: &str,
    entity_type: &str,
    entity_id: &str,
    unit_code: &str,
    province_code: &str,
) -> ApiResult<()> {
    debug_assert!(crate::auth::events::is_known(event_type), "unknown event type {event_type}");
    diesel::insert_into(de::table)
        .values((
            de::event_id.eq(uuid::Uuid::now_v7().to_string()),
            de::event_type.eq(event_type),
            de::entity_type.eq(entity_type),
            de::entity_id.eq(entity_id),
            de::unit_code.eq(unit_code),
            de::province_code.eq(province_code),
            de::occurred_at.eq(crate::time::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// One event to record with [`emit_many`].
pub struct NewEvent<'a> {
    pub event_type: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub unit_code: &'a str,
    pub province_code: &'a str,
}

/// Records many events in the caller's transaction, in multi-row INSERTs (bulk imports).
pub fn emit_many(conn: &mut DbConnection, events: &[NewEvent<'_>]) -> ApiResult<()> {
    let now = crate::time::now();
    let rows: Vec<_> = events
        .iter()
        .map(|e| {
            debug_assert!(crate::auth::events::is_known(e.event_type), "unknown event type {}", e.event_type);
            (
                de::event_id.eq(uuid::Uuid::now_v7().to_string()),
                de::event_type.eq(e.event_type),
                de::entity_type.eq(e.entity_type),
                de::entity_id.eq(e.entity_id),
                de::unit_code.eq(e.unit_code),
                de::province_code.eq(e.province_code),
                de::occurred_at.eq(now),
            )
        })
        .collect();
    insert_batches!(conn, de::table, rows, 1000);
    Ok(())
}

/// Events after `after`, oldest first, of the given types, inside `scope` (None: all units).
/// On PostgreSQL only events whose transaction is older than every running one are
/// returned, so an event committing late with a smaller id is never skipped; SQLite
/// commits one writer at a time, in id order.
pub fn after(
    conn: &mut DbConnection,
    scope: Option<&Jurisdiction>,
    types: &[&str],
    after: Cursor,
    limit: i64,
) -> ApiResult<Vec<EventRow>> {
    let pg = matches!(conn, DbConnection::Postgresql(_));
    let mut q = de::table
        .filter(de::event_type.eq_any(types.iter().map(|t| t.to_string()).collect::<Vec<_>>()))
        .filter(de::xid.gt(after.xid).or(de::xid.eq(after.xid).and(de::id.gt(after.id))))
        .into_boxed();
    if let Some(scope) = scope {
        q = in_unit!(q, scope, de::unit_code, de::province_code);
    }
    if pg {
        q = q.filter(diesel::dsl::sql::<Bool>(
            "domain_events.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
        ));
    }
    Ok(q.order((de::xid.asc(), de::id.asc())).limit(limit).select(EventRow::as_select()).load(conn)?)
}

/// The daily job: persons under management whose expungement forecast date has arrived
/// get one `expungement.due` event per forecast date (the notice table makes it once only,
/// across restarts and instances). Returns how many were announced.
pub fn announce_expungements_due(conn: &mut DbConnection, today: NaiveDate, batch: i64) -> ApiResult<usize> {
    let due: Vec<(String, NaiveDate, String, String)> = p::table
        .left_join(edn::table.on(edn::person_id.eq(p::id).and(edn::due_on.nullable().eq(p::expungement_due_on))))
        .filter(p::expungement_due_on.le(today))
        .filter(p::status.eq_any(["received", "under_management"]))
        .filter(p::expungement_status.ne("expunged"))
        .filter(edn::person_id.is_null())
        .select((p::id, p::expungement_due_on.assume_not_null(), p::unit_code, p::province_code))
        .limit(batch)
        .load(conn)?;
    let now = crate::time::now();
    for (id, due_on, unit, province) in &due {
        diesel::insert_into(edn::table)
            .values((edn::person_id.eq(id), edn::due_on.eq(due_on), edn::noticed_at.eq(now)))
            .execute(conn)?;
        emit(conn, "expungement.due", "person", id, unit, province)?;
    }
    Ok(due.len())
}
