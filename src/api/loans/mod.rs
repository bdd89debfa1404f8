//! Loans under Decision 22/2023/QĐ-TTg: eligibility, monthly lists, applications, the
//! bank's operations (idempotent postings), use-of-funds checks and the monthly portfolio.
//! One file per OpenAPI tag: the loans, their monthly lists, and the rate table.

mod lists;
mod loan;
mod rates;

pub use lists::*;
pub use loan::*;
pub use rates::*;
