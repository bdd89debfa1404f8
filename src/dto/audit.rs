use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One audit event: who did what to which record, with before/after values.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEvent {
    pub id: String,
    pub occurred_at: DateTime<Utc>,
    pub actor_sub: Option<String>,
    pub actor_roles: Option<String>,
    pub actor_agency: Option<String>,
    /// `account`, `client`, `external`, `anonymous` or `system`.
    pub actor_kind: String,
    #[schema(example = "account.create")]
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    /// The unit of the record acted on, and its province.
    pub unit_code: Option<String>,
    pub province_code: Option<String>,
    /// The unit the actor acted for, and its province.
    pub actor_unit_code: Option<String>,
    pub actor_province_code: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    /// From the `X-Audit-Reason` header.
    pub reason: Option<String>,
    pub request_id: Option<String>,
}

impl From<crate::db::audit::AuditRow> for AuditEvent {
    fn from(r: crate::db::audit::AuditRow) -> Self {
        let parse = |s: Option<String>| s.and_then(|t| serde_json::from_str(&t).ok());
        AuditEvent {
            id: r.id,
            occurred_at: r.occurred_at.and_utc(),
            actor_sub: r.actor_sub,
            actor_roles: r.actor_roles,
            actor_agency: r.actor_agency,
            actor_kind: r.actor_kind,
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            unit_code: r.unit_code,
            province_code: r.province_code,
            actor_unit_code: r.actor_unit_code,
            actor_province_code: r.actor_province_code,
            before: parse(r.before_json),
            after: parse(r.after_json),
            reason: r.reason,
            request_id: r.request_id,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// The actor's `sub`.
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Inclusive lower bound (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Exclusive upper bound (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}
