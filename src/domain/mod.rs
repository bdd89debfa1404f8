//! Pure domain rules: no I/O, no clock ("today" is passed in), table-tested.

pub mod activity_order;
pub mod address_policy;
pub mod cccd;
pub mod committee;
pub mod contact;
pub mod dates;
pub mod enums;
pub mod events;
pub mod expungement;
pub mod facility;
pub mod indicators;
pub mod interest;
pub mod lifecycle;
pub mod loan_lifecycle;
pub mod loan_rules;
pub mod lunar;
pub mod model_steps;
pub mod penalties;
pub mod plans;
pub mod report_lines;
pub mod reporting;
pub mod working_days;
