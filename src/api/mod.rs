//! HTTP handlers: parse, authorise, call the domain and the database, map to DTOs.

pub mod accounts;
pub mod admin_units;
pub mod audit_events;
pub mod auth;
pub mod clients;
pub mod committees;
pub mod health;
pub mod labour;
pub mod loans;
pub mod models;
pub mod persons;
pub mod release_notices;
pub mod supervision;

use utoipa_actix_web::service_config::ServiceConfig;

/// Routes under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(auth::issue_token)
        .service(auth::get_current_principal)
        .service(admin_units::list_admin_units)
        .service(admin_units::get_admin_unit)
        .service(accounts::list_accounts)
        .service(accounts::create_account)
        .service(accounts::get_account)
        .service(accounts::update_account)
        .service(accounts::disable_account)
        .service(accounts::enable_account)
        .service(accounts::change_password)
        .service(clients::list_clients)
        .service(clients::create_client)
        .service(clients::get_client)
        .service(clients::rotate_client_secret)
        .service(clients::disable_client)
        .service(clients::enable_client)
        .service(audit_events::list_audit_events)
        .service(persons::list_persons)
        .service(persons::create_person)
        .service(persons::get_person)
        .service(persons::update_person)
        .service(persons::get_status_history)
        .service(persons::get_attribute_history)
        .service(persons::receive_person)
        .service(persons::start_management)
        .service(persons::transfer_person)
        .service(persons::record_absconding)
        .service(persons::record_return)
        .service(persons::record_law_violation)
        .service(persons::record_death)
        .service(persons::list_convictions)
        .service(persons::create_conviction)
        .service(persons::get_expungement)
        .service(persons::update_expungement)
        .service(persons::list_judicial_record_requests)
        .service(persons::create_judicial_record_request)
        .service(release_notices::create_release_notice)
        .service(release_notices::list_release_notices)
        .service(release_notices::get_release_notice)
        .service(release_notices::verify_release_notice)
        .service(supervision::create_assignment)
        .service(supervision::list_person_assignments)
        .service(supervision::list_assignments)
        .service(supervision::end_assignment)
        .service(supervision::create_activity)
        .service(supervision::list_activities)
        .service(supervision::correct_activity)
        .service(supervision::delete_activity)
        .service(supervision::get_plan)
        .service(supervision::update_plan_item)
        .service(supervision::get_plan_summary)
        .service(labour::create_training)
        .service(labour::list_trainings)
        .service(labour::create_job_referral)
        .service(labour::list_job_referrals)
        .service(labour::set_job_referral_outcome)
        .service(labour::create_social_assistance)
        .service(labour::list_social_assistance)
        .service(labour::create_employer)
        .service(labour::list_employers)
        .service(committees::create_committee)
        .service(committees::list_committees)
        .service(committees::get_committee)
        .service(committees::add_member)
        .service(committees::end_member)
        .service(committees::consolidate_committee)
        .service(committees::dissolve_committee)
        .service(models::create_model)
        .service(models::list_models)
        .service(models::get_model)
        .service(models::record_milestone)
        .service(models::change_model_status)
        .service(models::add_participant)
        .service(models::leave_model)
        .service(models::add_review)
        .service(models::get_model_summary)
        .service(models::create_outreach_event)
        .service(models::list_outreach_events)
        .service(models::get_outreach_summary)
        .service(models::create_propagandist)
        .service(models::list_propagandists)
        .service(loans::get_loan_eligibility)
        .service(loans::create_loan_list)
        .service(loans::list_loan_lists)
        .service(loans::get_loan_list)
        .service(loans::certify_loan_list)
        .service(loans::send_loan_list)
        .service(loans::acknowledge_loan_list)
        .service(loans::get_loan_portfolio)
        .service(loans::list_loan_rates)
        .service(loans::create_loan_rate)
        .service(loans::create_loan)
        .service(loans::list_loans)
        .service(loans::get_loan)
        .service(loans::submit_loan)
        .service(loans::certify_loan)
        .service(loans::approve_loan)
        .service(loans::reject_loan)
        .service(loans::post_disbursement)
        .service(loans::post_repayment)
        .service(loans::mark_loan_overdue)
        .service(loans::write_off_loan)
        .service(loans::record_use_check);
}

/// Parses a record id from the path: UUIDs only, so garbage never reaches SQL.
pub fn parse_id(raw: &str) -> Result<String, crate::error::ApiError> {
    uuid::Uuid::parse_str(raw).map(|u| u.hyphenated().to_string()).map_err(|_| crate::error::ApiError::NotFound)
}
