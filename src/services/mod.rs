//! Use cases that span several records: load under the caller's jurisdiction, apply a pure
//! domain rule, write the change, its history and its audit event in one transaction.

pub mod areas;
pub mod committees;
pub mod facility_activities;
pub mod imports;
pub mod loans;
pub mod persons;
pub mod reports;
pub mod supervision;
