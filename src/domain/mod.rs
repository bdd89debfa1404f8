//! Pure domain rules: no I/O, no clock ("today" is passed in), table-tested.

pub mod cccd;
pub mod committee;
pub mod contact;
pub mod enums;
pub mod expungement;
pub mod lifecycle;
pub mod model_steps;
pub mod working_days;
