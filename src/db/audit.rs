//! The audit trail: written in the caller's transaction, never updated or deleted (the
//! database refuses both), read by auditors within their jurisdiction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::audit_events as ae;
use super::DbConnection;
use crate::auth::{Auth, Jurisdiction, RequestContext};
use crate::error::ApiResult;

/// Who did it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub sub: Option<String>,
    pub roles: Option<String>,
    pub agency: Option<String>,
    /// `account`, `client`, `external`, `anonymous` or `system`.
    pub kind: String,
    /// The unit the actor acts for (`VN`, a province or a commune), when known.
    pub unit: Option<String>,
    pub ctx: RequestContext,
}

impl Actor {
    pub fn of(auth: &Auth) -> Actor {
        Actor {
            sub: Some(auth.sub.clone()),
            roles: Some(crate::auth::roles::roles_to_db(&auth.roles)),
            agency: auth.agency.clone(),
            kind: auth.kind.clone(),
            unit: Some(auth.unit.clone()),
            ctx: auth.ctx.clone(),
        }
    }
    pub fn anonymous(ctx: RequestContext) -> Actor {
        Actor { sub: None, roles: None, agency: None, kind: "anonymous".into(), unit: None, ctx }
    }
    pub fn system(what: &str) -> Actor {
        Actor {
            sub: Some(what.to_string()),
            roles: None,
            agency: None,
            kind: "system".into(),
            unit: None,
            ctx: Default::default(),
        }
    }
}

/// What happened to which record.
#[derive(Debug, Default)]
pub struct Entry<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<&'a str>,
    pub unit_code: Option<&'a str>,
    pub province_code: Option<&'a str>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Entry<'a> {
    /// `action` on the record `id` of `entity_type`, booked on a unit and its province.
    pub fn on(
        action: &'a str,
        entity_type: &'a str,
        (id, unit_code, province_code): (&'a str, &'a str, &'a str),
    ) -> Entry<'a> {
        Entry {
            action,
            entity_type,
            entity_id: Some(id),
            unit_code: Some(unit_code),
            province_code: Some(province_code),
            before: None,
            after: None,
        }
    }

    /// The record as it was and as it is now (either may be absent).
    pub fn change(self, before: Option<serde_json::Value>, after: Option<serde_json::Value>) -> Entry<'a> {
        Entry { before, after, ..self }
    }
}

/// Writes one event done by the caller (see [`record`]).
pub fn by(conn: &mut DbConnection, auth: &Auth, entry: Entry<'_>) -> ApiResult<()> {
    record(conn, &Actor::of(auth), entry)
}

/// Writes one event. A unit without its province gets it from the reference list, and the
/// actor's unit and province are kept beside the record's, so that an auditor of a province
/// finds both what was done to its records and what its staff did.
pub fn record(conn: &mut DbConnection, actor: &Actor, entry: Entry<'_>) -> ApiResult<()> {
    diesel::insert_into(ae::table).values(NewAuditEvent::new(actor, entry)).execute(conn)?;
    Ok(())
}

/// Rows of one multi-row INSERT: 18 columns a row stay far below SQLite's bound-parameter
/// limit.
pub const ROWS_A_STATEMENT: usize = 500;

/// Writes events already built (see [`NewAuditEvent::new`]) in multi-row INSERTs.
pub fn insert_all(conn: &mut DbConnection, events: &[NewAuditEvent]) -> ApiResult<()> {
    insert_batches!(conn, ae::table, events, ROWS_A_STATEMENT);
    Ok(())
}

/// One event, built when it happened and written later or elsewhere (a batch of reads).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = ae, treat_none_as_default_value = false)]
pub struct NewAuditEvent {
    id: String,
    occurred_at: NaiveDateTime,
    actor_sub: Option<String>,
    actor_roles: Option<String>,
    actor_agency: Option<String>,
    actor_kind: String,
    action: String,
    entity_type: String,
    entity_id: Option<String>,
    unit_code: Option<String>,
    province_code: Option<String>,
    before_json: Option<String>,
    after_json: Option<String>,
    reason: Option<String>,
    request_id: Option<String>,
    client_address: Option<String>,
    actor_unit_code: Option<String>,
    actor_province_code: Option<String>,
}

impl NewAuditEvent {
    pub fn new(actor: &Actor, entry: Entry<'_>) -> NewAuditEvent {
        let province_code = entry.province_code.or_else(|| entry.unit_code.and_then(super::admin_units::province_of));
        let actor_province = actor.unit.as_deref().and_then(super::admin_units::province_of);
        NewAuditEvent {
            id: uuid::Uuid::now_v7().to_string(),
            occurred_at: crate::time::now(),
            actor_sub: actor.sub.clone(),
            actor_roles: actor.roles.clone(),
            actor_agency: actor.agency.clone(),
            actor_kind: actor.kind.clone(),
            action: entry.action.to_string(),
            entity_type: entry.entity_type.to_string(),
            entity_id: entry.entity_id.map(str::to_string),
            unit_code: entry.unit_code.map(str::to_string),
            province_code: province_code.map(str::to_string),
            before_json: entry.before.map(|v| v.to_string()),
            after_json: entry.after.map(|v| v.to_string()),
            reason: actor.ctx.reason.clone(),
            request_id: actor.ctx.request_id.clone(),
            client_address: actor.ctx.client_address.clone(),
            actor_unit_code: actor.unit.clone(),
            actor_province_code: actor_province.map(str::to_string),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ae)]
pub struct AuditRow {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub actor_sub: Option<String>,
    pub actor_roles: Option<String>,
    pub actor_agency: Option<String>,
    pub actor_kind: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub unit_code: Option<String>,
    pub province_code: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub reason: Option<String>,
    pub request_id: Option<String>,
    pub actor_unit_code: Option<String>,
    pub actor_province_code: Option<String>,
}

#[derive(Debug, Default)]
pub struct Filter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

pub fn list(
    conn: &mut DbConnection,
    scope: &Jurisdiction,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<AuditRow>, i64)> {
    let build = || {
        let mut q = ae::table.into_boxed();
        q = match scope {
            Jurisdiction::National => q,
            // What was done to the unit's records, and what its staff did.
            Jurisdiction::Province(p) => {
                q.filter(ae::province_code.eq(p.clone()).or(ae::actor_province_code.eq(p.clone())))
            }
            Jurisdiction::Commune(c) => q.filter(ae::unit_code.eq(c.clone()).or(ae::actor_unit_code.eq(c.clone()))),
        };
        if let Some(v) = &f.entity_type {
            q = q.filter(ae::entity_type.eq(v.clone()));
        }
        if let Some(v) = &f.entity_id {
            q = q.filter(ae::entity_id.eq(v.clone()));
        }
        if let Some(v) = &f.actor {
            q = q.filter(ae::actor_sub.eq(v.clone()));
        }
        if let Some(v) = &f.action {
            q = q.filter(ae::action.eq(v.clone()));
        }
        if let Some(v) = f.from {
            q = q.filter(ae::occurred_at.ge(v));
        }
        if let Some(v) = f.to {
            q = q.filter(ae::occurred_at.lt(v));
        }
        q
    };
    Ok(paged!(conn, build, AuditRow, ae::id.desc(), offset, limit))
}
