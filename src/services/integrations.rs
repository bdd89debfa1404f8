//! Webhook subscriptions: subscribing, stopping, and replaying a delivery, each with its audit
//! event in one transaction.

use rand::RngCore;

use crate::auth::roles::roles_to_db;
use crate::auth::{Auth, Jurisdiction};
use crate::db::webhooks::{self as db, DeliveryRow, SubscriptionRow};
use crate::db::{admin_units, audit, write_tx, DbConnection};
use crate::error::{ApiError, ApiResult};

/// Subscribes `url` (already checked) to `types` (already checked against the caller's
/// roles) for the caller's unit; returns the subscription and its signing secret.
pub fn subscribe(
    conn: &mut DbConnection,
    auth: &Auth,
    url: String,
    types: &[String],
    description: Option<String>,
) -> ApiResult<(SubscriptionRow, String)> {
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let secret = format!("whsec_{}", hex::encode(raw));
    let now = crate::time::now();
    let mut row = SubscriptionRow {
        id: uuid::Uuid::now_v7().to_string(),
        owner_sub: auth.sub.clone(),
        owner_roles: roles_to_db(&auth.roles),
        unit_code: auth.unit.clone(),
        province_code: match &auth.jurisdiction {
            Jurisdiction::National => String::new(),
            Jurisdiction::Province(p) => p.clone(),
            Jurisdiction::Commune(_) => String::new(),
        },
        url,
        event_types: types.join(","),
        secret: secret.clone(),
        active: true,
        description,
        created_at: now,
        updated_at: now,
        version: 1,
        paused_at: None,
        paused_reason: None,
    };
    let saved = write_tx(conn, |conn| {
        if let Jurisdiction::Commune(c) = &auth.jurisdiction {
            row.province_code = admin_units::resolve(conn, c, "unit")?.province_code.unwrap_or_default();
        }
        db::insert(conn, &row)?;
        audit::record(
            conn,
            &audit::Actor::of(auth),
            audit::Entry {
                action: "webhook.create",
                entity_type: "webhook",
                entity_id: Some(&row.id),
                unit_code: Some(&row.unit_code),
                after: Some(serde_json::json!({"url": row.url, "event_types": row.event_types})),
                ..Default::default()
            },
        )?;
        Ok::<_, ApiError>(row)
    })?;
    Ok((saved, secret))
}

/// Stops one of the caller's subscriptions; pending deliveries are cancelled.
pub fn unsubscribe(conn: &mut DbConnection, auth: &Auth, id: &str) -> ApiResult<()> {
    write_tx(conn, |conn| {
        let row = db::find_own(conn, &auth.sub, id)?;
        db::deactivate(conn, &row.id)?;
        audit::record(
            conn,
            &audit::Actor::of(auth),
            audit::Entry {
                action: "webhook.delete",
                entity_type: "webhook",
                entity_id: Some(&row.id),
                unit_code: Some(&row.unit_code),
                ..Default::default()
            },
        )
    })
}

/// Queues a delivery of one of the caller's subscriptions again, from a fresh attempt count.
pub fn replay_delivery(conn: &mut DbConnection, auth: &Auth, id: &str, delivery: &str) -> ApiResult<DeliveryRow> {
    write_tx(conn, |conn| {
        let sub = db::find_own(conn, &auth.sub, id)?;
        let d = db::find_delivery(conn, &sub.id, delivery)?;
        db::replay(conn, &d.id)?;
        audit::record(
            conn,
            &audit::Actor::of(auth),
            audit::Entry {
                action: "webhook.replay",
                entity_type: "webhook_delivery",
                entity_id: Some(&d.id),
                unit_code: Some(&sub.unit_code),
                ..Default::default()
            },
        )?;
        db::find_delivery(conn, &sub.id, &d.id)
    })
}
