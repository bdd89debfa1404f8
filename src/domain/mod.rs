//! Pure domain rules: no I/O, no clock ("today" is passed in), table-tested.

pub mod expungement;
