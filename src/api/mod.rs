//! HTTP handlers: parse, authorise, call the domain and the database, map to DTOs.

pub mod accounts;
pub mod admin_units;
pub mod audit_events;
pub mod auth;
pub mod clients;
pub mod committees;
pub mod facility_activities;
pub mod health;
pub mod holidays;
pub mod imports;
pub mod integrations;
pub mod labour;
pub mod loans;
pub mod models;
pub mod persons;
pub mod plans;
pub mod release_notices;
pub mod reports;
pub mod responses;
pub mod supervision;

use utoipa_actix_web::service_config::ServiceConfig;

/// Routes under `/api/v1`: each module registers its own, at the end of its file. Order
/// matters where patterns overlap (a module lists its fixed paths such as
/// `/reports/overdue` before `/reports/{id}`); keep the modules in this order.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(auth::routes)
        .configure(admin_units::routes)
        .configure(accounts::routes)
        .configure(clients::routes)
        .configure(audit_events::routes)
        .configure(persons::routes)
        .configure(release_notices::routes)
        .configure(facility_activities::routes)
        .configure(supervision::routes)
        .configure(labour::routes)
        .configure(committees::routes)
        .configure(models::routes)
        .configure(loans::routes)
        .configure(holidays::routes)
        .configure(reports::routes)
        .configure(plans::routes)
        .configure(integrations::routes)
        .configure(imports::routes);
}

pub use crate::http::{parse_id, parse_ids};
