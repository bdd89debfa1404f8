//! Loans under Decision 22/2023/QĐ-TTg: eligibility, monthly lists, applications, the
//! bank's operations (idempotent postings), use-of-funds checks and the monthly portfolio.
//! One file per OpenAPI tag: the loans, their monthly lists, and the rate table.

mod lists;
mod loan;
mod rates;

pub use lists::*;
pub use loan::*;
pub use rates::*;

/// This module's routes, in the order `api::configure` registers them: `/loans/portfolio`
/// before `/loans/{id}`.
pub(crate) fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_loan_eligibility)
        .service(create_loan_list)
        .service(list_loan_lists)
        .service(get_loan_list)
        .service(certify_loan_list)
        .service(send_loan_list)
        .service(acknowledge_loan_list)
        .service(get_loan_portfolio)
        .service(list_loan_rates)
        .service(create_loan_rate)
        .service(create_loan)
        .service(list_loans)
        .service(get_loan)
        .service(submit_loan)
        .service(certify_loan)
        .service(approve_loan)
        .service(reject_loan)
        .service(post_disbursement)
        .service(post_repayment)
        .service(mark_loan_overdue)
        .service(write_off_loan)
        .service(record_use_check);
}
