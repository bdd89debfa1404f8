//! The change feed, webhooks, imports and list exports on the wire.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::dto::no_control_chars;

/// A domain event: what changed, where and when; never the record itself. Fetch the
/// record with your own rights to see what you may.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Event {
    /// Position to resume after (`after=`).
    pub cursor: String,
    /// Event id (stable across redeliveries).
    pub id: String,
    /// `person.expected`, `person.received`, `person.status_changed`, `person.transferred`,
    /// `expungement.due`, `expungement.updated`, `loan_list.sent`, `loan.approved`,
    /// `loan.disbursed`, `loan.overdue` or `report.submitted`.
    #[serde(rename = "type")]
    pub event_type: String,
    pub entity_type: String,
    pub entity_id: String,
    /// Commune (or province, or VN for reports) the event belongs to.
    pub unit: String,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<Event>,
    /// Pass as `after` to continue; equal to the request's `after` when nothing is new.
    pub next_cursor: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Cursor from a previous page (`0-0`, the default, starts from the beginning).
    pub after: Option<String>,
    /// Comma-separated event types (default: every type your roles may receive).
    pub types: Option<String>,
    /// 1–1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// `http(s)://…` without credentials. Every address its host resolves to must be a
    /// public one (loopback, private, link-local, CGNAT, benchmarking, documentation,
    /// multicast and other special-purpose ranges are refused, IPv4 carried in IPv6
    /// included) unless the service allows private networks; checked again at each delivery.
    #[validate(length(min = 8, max = 2000))]
    #[schema(example = "https://partner.example/thncd/events")]
    pub url: String,
    /// Event types to receive (each must be one your roles may receive).
    #[validate(length(min = 1, max = 20))]
    pub event_types: Vec<String>,
    #[validate(length(max = 500), custom(function = "no_control_chars"))]
    pub description: Option<String>,
}

/// A subscription. Deliveries are `POST`s of an `Event` body (without `cursor`) with
/// headers `X-Thncd-Event`, `X-Thncd-Delivery` (dedupe on it: delivery is at least once)
/// and `X-Thncd-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    pub id: String,
    pub url: String,
    pub event_types: Vec<String>,
    pub unit: String,
    /// Whether deliveries go out (`state` is `active`).
    pub active: bool,
    /// `active`; `paused` when the owner lost the rights the subscription was made with
    /// (disabled, or its roles or unit changed): nothing more is delivered, and queued
    /// deliveries are cancelled; or `stopped` (removed by its owner).
    #[schema(example = "active")]
    pub state: String,
    /// Why it is paused: `owner_disabled`, `owner_roles_changed` or `owner_unit_changed`.
    pub paused_reason: Option<String>,
    pub paused_at: Option<DateTime<Utc>>,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Shown once, when the subscription is created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// One event's delivery to one subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: String,
    pub event_id: String,
    pub event_type: String,
    /// `pending`, `retrying`, `delivered`, `dead` (gave up after the maximum attempts, or at
    /// once when the destination is refused by the address policy) or `cancelled`
    /// (subscription removed or paused).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    /// The receiver's HTTP status, when it answered.
    pub last_status_code: Option<i32>,
    /// A generic category, never the network's own error: `the destination answered with
    /// an error status`, `no answer from the destination` (not resolved, refused, timed out
    /// alike) or `destination refused by address policy`.
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    #[param(schema_with = crate::dto::query_words::delivery_status)]
    pub status: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}
