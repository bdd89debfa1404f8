//! Use cases that span several records: load under the caller's jurisdiction, apply a pure
//! domain rule, write the change, its history and its audit event in one transaction.

pub mod accounts;
pub mod areas;
pub mod auth;
pub mod clients;
pub mod committees;
pub mod facility_activities;
pub mod holidays;
pub mod imports;
pub mod integrations;
pub mod labour;
pub mod loan_lists;
pub mod loans;
pub mod models;
pub mod persons;
pub mod plans;
pub mod release_notices;
pub mod reports;
pub mod supervision;
