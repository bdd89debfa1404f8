//! One integration-test binary: every test talks HTTP to a real server on a real database,
//! and runs on both SQLite and PostgreSQL (see `dual!`).

mod fixtures;
mod helpers;

mod accounts;
mod admin_units;
mod audit;
mod backup;
mod bounds;
mod capacity;
mod contract;
mod decision22;
mod demo;
mod enum_roundtrip;
mod errors;
mod expungement;
mod facility;
mod faults;
mod figures;
mod health;
mod history;
mod hostile;
mod http_semantics;
mod i18n;
mod integrations;
mod loans;
mod matrix;
mod operations;
mod organisation;
mod persons;
mod plans;
mod programmes;
mod purpose;
mod report_lines;
mod reports;
mod scale;
mod scenario;
mod schema;
mod search;
mod security_auth;
mod supervision;
mod swagger_ui;
mod text_enums;
mod tokens;
mod webhook_security;
