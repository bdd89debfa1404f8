//! The permission table: which roles may call each operation. Default-deny: an operation
//! not listed here cannot be called, and a test fails if the OpenAPI document has an
//! operation missing from this table (or the other way round).

use super::roles::Role;
use Role::*;

/// Every authenticated operation, named by its OpenAPI `operationId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    GetCurrentPrincipal,
    ListAdminUnits,
    GetAdminUnit,
    ListAccounts,
    CreateAccount,
    GetAccount,
    UpdateAccount,
    DisableAccount,
    EnableAccount,
    ChangePassword,
    ListClients,
    CreateClient,
    GetClient,
    RotateClientSecret,
    DisableClient,
    EnableClient,
    ListAuditEvents,
    ListPersons,
    ListIdNumberConflicts,
    CreatePerson,
    GetPerson,
    UpdatePerson,
    GetStatusHistory,
    GetAttributeHistory,
    ReceivePerson,
    StartManagement,
    TransferPerson,
    RecordAbsconding,
    RecordReturn,
    RecordLawViolation,
    RecordDeath,
    ListConvictions,
    CreateConviction,
    UpdateConviction,
    ListConvictionVersions,
    GetExpungement,
    UpdateExpungement,
    ListJudicialRecordRequests,
    CreateJudicialRecordRequest,
    CreateReleaseNotice,
    ListReleaseNotices,
    GetReleaseNotice,
    VerifyReleaseNotice,
    CreateFacilityActivity,
    ListFacilityActivities,
    GetFacilityActivity,
    CreateAssignment,
    ListPersonAssignments,
    ListAssignments,
    EndAssignment,
    CreateActivity,
    ListActivities,
    CorrectActivity,
    DeleteActivity,
    GetPlan,
    UpdatePlanItem,
    GetPlanSummary,
    CreateTraining,
    ListTrainings,
    CreateJobReferral,
    ListJobReferrals,
    SetJobReferralOutcome,
    CreateSocialAssistance,
    ListSocialAssistance,
    CreateEmployer,
    ListEmployers,
    CreateCommittee,
    ListCommittees,
    GetCommittee,
    AddCommitteeMember,
    EndCommitteeMember,
    ConsolidateCommittee,
    DissolveCommittee,
    CreateModel,
    ListModels,
    GetModel,
    RecordMilestone,
    ChangeModelStatus,
    AddModelParticipant,
    LeaveModel,
    AddModelReview,
    GetModelSummary,
    CreateOutreachEvent,
    ListOutreachEvents,
    GetOutreachSummary,
    CreatePropagandist,
    ListPropagandists,
    GetLoanEligibility,
    CreateLoanList,
    ListLoanLists,
    GetLoanList,
    CertifyLoanList,
    SendLoanList,
    AcknowledgeLoanList,
    CreateLoan,
    ListLoans,
    GetLoan,
    SubmitLoan,
    CertifyLoan,
    ApproveLoan,
    RejectLoan,
    PostDisbursement,
    PostRepayment,
    MarkLoanOverdue,
    WriteOffLoan,
    RecordUseCheck,
    GetLoanPortfolio,
    ListLoanRates,
    CreateLoanRate,
    ListHolidays,
    CreateHoliday,
    GetIndicators,
    CreateArea,
    ListAreas,
    ListTargets,
    SetTarget,
    DeleteTarget,
    CreateReport,
    ListReports,
    GetReport,
    UpdateReport,
    SubmitReport,
    AcceptReport,
    ReturnReport,
    ReviseReport,
    ExportReport,
    GetConsolidatedReport,
    ListOverdueReports,
    ListEvents,
    CreateWebhook,
    ListWebhooks,
    GetWebhook,
    DeleteWebhook,
    ListWebhookDeliveries,
    ReplayWebhookDelivery,
    ImportPersons,
    ExportPersons,
}

const EVERYONE: &[Role] = &Role::ALL;
/// Agencies that work with person records (purpose decides the fields they get).
const READ_PERSON: &[Role] = &[Police, CommuneCommittee, Justice, Labour, Bank, Supervisor];
/// The standing agency and the commune committee run the lifecycle.
const MANAGE: &[Role] = &[Police, CommuneCommittee];
const POLICE: &[Role] = &[Police];
const STATUS_READ: &[Role] = &[Police, CommuneCommittee, Justice, Labour, Supervisor];
/// Criminal data: offences, penalties, expungement.
const CRIMINAL_READ: &[Role] = &[Police, CommuneCommittee, Justice];
const CONVICTION_WRITE: &[Role] = &[Police, Justice];
const JUSTICE: &[Role] = &[Justice];
/// Day-to-day supervision (a supervisor token is limited to its caseload).
const SUPERVISE: &[Role] = &[Police, CommuneCommittee, Supervisor];
const PLAN: &[Role] = &[Police, CommuneCommittee, Labour, Supervisor];
const PLAN_SUMMARY: &[Role] = &[Police, CommuneCommittee, Labour];
/// The labour office writes its own records.
const LABOUR: &[Role] = &[Labour];
const LABOUR_READ: &[Role] = &[Police, CommuneCommittee, Labour, Supervisor];
/// Committees, models and outreach: the agencies that take part in them.
const ORG_READ: &[Role] = &[Police, CommuneCommittee, Justice, Labour];
/// Loans: the standing agency, the committee and the bank.
const LOAN_READ: &[Role] = &[Police, CommuneCommittee, Bank];
const LOAN_APPLY: &[Role] = &[Police, CommuneCommittee];
const COMMITTEE: &[Role] = &[CommuneCommittee];
const BANK: &[Role] = &[Bank];
/// Aggregate figures and reports: the agencies that write or read them, and auditors.
const REPORT_READ: &[Role] = &[Police, CommuneCommittee, Justice, Labour, Auditor];
const AREA_READ: &[Role] = &[Admin, Police, CommuneCommittee, Justice, Labour, Auditor];
/// Partner agencies hear of changes (each event type is further limited by role).
const EVENTS: &[Role] = &[Police, CommuneCommittee, Justice, Labour, Bank];
/// Printed lists of persons (fields as each role may see them): the roles that may use at
/// least one list kind (`auth::fields::EXPORT_LISTS`); every list reveals status or
/// expungement data, which the bank does not see.
const EXPORT: &[Role] = &[Police, CommuneCommittee, Justice, Labour];
const RATE_WRITE: &[Role] = &[Bank, Admin];
const EMPLOYERS_READ: &[Role] = &[Police, CommuneCommittee, Labour];
/// Release notices: facilities send them (to any commune) and read back their own; the
/// commune police verify the address.
const NOTICE_WRITE: &[Role] = &[Police, Facility];
const NOTICE_READ: &[Role] = &[Police, CommuneCommittee, Facility];
/// Work inside detention facilities: the facility itself, or the police.
const FACILITY_WORK: &[Role] = &[Police, Facility];

impl Op {
    pub const ALL: &'static [Op] = &[
        Op::GetCurrentPrincipal,
        Op::ListAdminUnits,
        Op::GetAdminUnit,
        Op::ListAccounts,
        Op::CreateAccount,
        Op::GetAccount,
        Op::UpdateAccount,
        Op::DisableAccount,
        Op::EnableAccount,
        Op::ChangePassword,
        Op::ListClients,
        Op::CreateClient,
        Op::GetClient,
        Op::RotateClientSecret,
        Op::DisableClient,
        Op::EnableClient,
        Op::ListAuditEvents,
        Op::ListPersons,
        Op::ListIdNumberConflicts,
        Op::CreatePerson,
        Op::GetPerson,
        Op::UpdatePerson,
        Op::GetStatusHistory,
        Op::GetAttributeHistory,
        Op::ReceivePerson,
        Op::StartManagement,
        Op::TransferPerson,
        Op::RecordAbsconding,
        Op::RecordReturn,
        Op::RecordLawViolation,
        Op::RecordDeath,
        Op::ListConvictions,
        Op::CreateConviction,
        Op::UpdateConviction,
        Op::ListConvictionVersions,
        Op::GetExpungement,
        Op::UpdateExpungement,
        Op::ListJudicialRecordRequests,
        Op::CreateJudicialRecordRequest,
        Op::CreateReleaseNotice,
        Op::ListReleaseNotices,
        Op::GetReleaseNotice,
        Op::VerifyReleaseNotice,
        Op::CreateFacilityActivity,
        Op::ListFacilityActivities,
        Op::GetFacilityActivity,
        Op::CreateAssignment,
        Op::ListPersonAssignments,
        Op::ListAssignments,
        Op::EndAssignment,
        Op::CreateActivity,
        Op::ListActivities,
        Op::CorrectActivity,
        Op::DeleteActivity,
        Op::GetPlan,
        Op::UpdatePlanItem,
        Op::GetPlanSummary,
        Op::CreateTraining,
        Op::ListTrainings,
        Op::CreateJobReferral,
        Op::ListJobReferrals,
        Op::SetJobReferralOutcome,
        Op::CreateSocialAssistance,
        Op::ListSocialAssistance,
        Op::CreateEmployer,
        Op::ListEmployers,
        Op::CreateCommittee,
        Op::ListCommittees,
        Op::GetCommittee,
        Op::AddCommitteeMember,
        Op::EndCommitteeMember,
        Op::ConsolidateCommittee,
        Op::DissolveCommittee,
        Op::CreateModel,
        Op::ListModels,
        Op::GetModel,
        Op::RecordMilestone,
        Op::ChangeModelStatus,
        Op::AddModelParticipant,
        Op::LeaveModel,
        Op::AddModelReview,
        Op::GetModelSummary,
        Op::CreateOutreachEvent,
        Op::ListOutreachEvents,
        Op::GetOutreachSummary,
        Op::CreatePropagandist,
        Op::ListPropagandists,
        Op::GetLoanEligibility,
        Op::CreateLoanList,
        Op::ListLoanLists,
        Op::GetLoanList,
        Op::CertifyLoanList,
        Op::SendLoanList,
        Op::AcknowledgeLoanList,
        Op::CreateLoan,
        Op::ListLoans,
        Op::GetLoan,
        Op::SubmitLoan,
        Op::CertifyLoan,
        Op::ApproveLoan,
        Op::RejectLoan,
        Op::PostDisbursement,
        Op::PostRepayment,
        Op::MarkLoanOverdue,
        Op::WriteOffLoan,
        Op::RecordUseCheck,
        Op::GetLoanPortfolio,
        Op::ListLoanRates,
        Op::CreateLoanRate,
        Op::ListHolidays,
        Op::CreateHoliday,
        Op::GetIndicators,
        Op::CreateArea,
        Op::ListAreas,
        Op::ListTargets,
        Op::SetTarget,
        Op::DeleteTarget,
        Op::CreateReport,
        Op::ListReports,
        Op::GetReport,
        Op::UpdateReport,
        Op::SubmitReport,
        Op::AcceptReport,
        Op::ReturnReport,
        Op::ReviseReport,
        Op::ExportReport,
        Op::GetConsolidatedReport,
        Op::ListOverdueReports,
        Op::ListEvents,
        Op::CreateWebhook,
        Op::ListWebhooks,
        Op::GetWebhook,
        Op::DeleteWebhook,
        Op::ListWebhookDeliveries,
        Op::ReplayWebhookDelivery,
        Op::ImportPersons,
        Op::ExportPersons,
    ];

    /// The roles allowed to call this operation.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Op::GetCurrentPrincipal | Op::ListAdminUnits | Op::GetAdminUnit => EVERYONE,
            // Anyone may change their own password; admins may reset others' (checked in the handler).
            Op::ChangePassword => EVERYONE,
            Op::ListAccounts
            | Op::CreateAccount
            | Op::GetAccount
            | Op::UpdateAccount
            | Op::DisableAccount
            | Op::EnableAccount
            | Op::ListClients
            | Op::CreateClient
            | Op::GetClient
            | Op::RotateClientSecret
            | Op::DisableClient
            | Op::EnableClient => &[Admin],
            Op::ListAuditEvents => &[Admin, Auditor],
            Op::GetLoanEligibility
            | Op::ListLoanLists
            | Op::GetLoanList
            | Op::ListLoans
            | Op::GetLoan
            | Op::GetLoanPortfolio
            | Op::ListLoanRates => LOAN_READ,
            Op::CreateLoanList | Op::SendLoanList => POLICE,
            Op::CertifyLoanList | Op::CertifyLoan => COMMITTEE,
            Op::AcknowledgeLoanList
            | Op::ApproveLoan
            | Op::RejectLoan
            | Op::PostDisbursement
            | Op::PostRepayment
            | Op::MarkLoanOverdue
            | Op::WriteOffLoan => BANK,
            Op::CreateLoan | Op::SubmitLoan => LOAN_APPLY,
            Op::RecordUseCheck => MANAGE,
            Op::CreateLoanRate => RATE_WRITE,
            // The holiday calendar counts deadlines for everyone; admins keep it.
            Op::ListHolidays => EVERYONE,
            Op::CreateHoliday => &[Admin],
            Op::GetIndicators => REPORT_READ,
            Op::CreateArea => &[Admin, Police],
            Op::ListAreas => AREA_READ,
            Op::ListTargets => REPORT_READ,
            Op::SetTarget => MANAGE,
            Op::DeleteTarget => MANAGE,
            Op::CreateReport => MANAGE,
            Op::ListReports => REPORT_READ,
            Op::GetReport => REPORT_READ,
            Op::UpdateReport => MANAGE,
            Op::SubmitReport => MANAGE,
            Op::AcceptReport => MANAGE,
            Op::ReturnReport => MANAGE,
            Op::ReviseReport => MANAGE,
            Op::ExportReport => REPORT_READ,
            Op::GetConsolidatedReport => REPORT_READ,
            Op::ListOverdueReports => REPORT_READ,
            Op::ListEvents => EVENTS,
            Op::CreateWebhook => EVENTS,
            Op::ListWebhooks => EVENTS,
            Op::GetWebhook => EVENTS,
            Op::DeleteWebhook => EVENTS,
            Op::ListWebhookDeliveries => EVENTS,
            Op::ReplayWebhookDelivery => EVENTS,
            Op::ImportPersons => MANAGE,
            Op::ExportPersons => EXPORT,
            Op::CreateCommittee
            | Op::AddCommitteeMember
            | Op::EndCommitteeMember
            | Op::ConsolidateCommittee
            | Op::DissolveCommittee
            | Op::CreateModel
            | Op::RecordMilestone
            | Op::ChangeModelStatus
            | Op::AddModelParticipant
            | Op::LeaveModel
            | Op::AddModelReview
            | Op::CreateOutreachEvent
            | Op::CreatePropagandist => MANAGE,
            Op::ListCommittees
            | Op::GetCommittee
            | Op::ListModels
            | Op::GetModel
            | Op::GetModelSummary
            | Op::ListOutreachEvents
            | Op::GetOutreachSummary
            | Op::ListPropagandists => ORG_READ,
            Op::CreateAssignment | Op::EndAssignment => MANAGE,
            Op::ListPersonAssignments
            | Op::ListAssignments
            | Op::CreateActivity
            | Op::ListActivities
            | Op::CorrectActivity
            | Op::DeleteActivity => SUPERVISE,
            Op::GetPlan | Op::UpdatePlanItem => PLAN,
            Op::GetPlanSummary => PLAN_SUMMARY,
            Op::CreateTraining
            | Op::CreateJobReferral
            | Op::SetJobReferralOutcome
            | Op::CreateSocialAssistance
            | Op::CreateEmployer => LABOUR,
            Op::ListTrainings | Op::ListJobReferrals | Op::ListSocialAssistance => LABOUR_READ,
            Op::ListEmployers => EMPLOYERS_READ,
            Op::ListPersons | Op::GetPerson => READ_PERSON,
            // Provincial police (the handler refuses commune units) and admins.
            Op::ListIdNumberConflicts => &[Police, Admin],
            Op::CreatePerson
            | Op::UpdatePerson
            | Op::GetAttributeHistory
            | Op::ReceivePerson
            | Op::StartManagement
            | Op::TransferPerson
            | Op::RecordAbsconding
            | Op::RecordReturn
            | Op::RecordLawViolation
            | Op::RecordDeath => MANAGE,
            Op::ListReleaseNotices | Op::GetReleaseNotice => NOTICE_READ,
            Op::GetStatusHistory => STATUS_READ,
            Op::ListConvictions | Op::ListConvictionVersions | Op::GetExpungement | Op::ListJudicialRecordRequests => {
                CRIMINAL_READ
            }
            Op::CreateConviction | Op::UpdateConviction => CONVICTION_WRITE,
            Op::UpdateExpungement | Op::CreateJudicialRecordRequest => JUSTICE,
            Op::CreateReleaseNotice => NOTICE_WRITE,
            Op::VerifyReleaseNotice => POLICE,
            Op::CreateFacilityActivity | Op::ListFacilityActivities | Op::GetFacilityActivity => FACILITY_WORK,
        }
    }

    /// The OpenAPI operationId (the handler's function name).
    pub fn operation_id(self) -> &'static str {
        match self {
            Op::GetCurrentPrincipal => "get_current_principal",
            Op::ListAdminUnits => "list_admin_units",
            Op::GetAdminUnit => "get_admin_unit",
            Op::ListAccounts => "list_accounts",
            Op::CreateAccount => "create_account",
            Op::GetAccount => "get_account",
            Op::UpdateAccount => "update_account",
            Op::DisableAccount => "disable_account",
            Op::EnableAccount => "enable_account",
            Op::ChangePassword => "change_password",
            Op::ListClients => "list_clients",
            Op::CreateClient => "create_client",
            Op::GetClient => "get_client",
            Op::RotateClientSecret => "rotate_client_secret",
            Op::DisableClient => "disable_client",
            Op::EnableClient => "enable_client",
            Op::ListAuditEvents => "list_audit_events",
            Op::GetLoanEligibility => "get_loan_eligibility",
            Op::CreateLoanList => "create_loan_list",
            Op::ListLoanLists => "list_loan_lists",
            Op::GetLoanList => "get_loan_list",
            Op::CertifyLoanList => "certify_loan_list",
            Op::SendLoanList => "send_loan_list",
            Op::AcknowledgeLoanList => "acknowledge_loan_list",
            Op::CreateLoan => "create_loan",
            Op::ListLoans => "list_loans",
            Op::GetLoan => "get_loan",
            Op::SubmitLoan => "submit_loan",
            Op::CertifyLoan => "certify_loan",
            Op::ApproveLoan => "approve_loan",
            Op::RejectLoan => "reject_loan",
            Op::PostDisbursement => "post_disbursement",
            Op::PostRepayment => "post_repayment",
            Op::MarkLoanOverdue => "mark_loan_overdue",
            Op::WriteOffLoan => "write_off_loan",
            Op::RecordUseCheck => "record_use_check",
            Op::GetLoanPortfolio => "get_loan_portfolio",
            Op::ListLoanRates => "list_loan_rates",
            Op::CreateLoanRate => "create_loan_rate",
            Op::ListHolidays => "list_holidays",
            Op::CreateHoliday => "create_holiday",
            Op::GetIndicators => "get_indicators",
            Op::CreateArea => "create_area",
            Op::ListAreas => "list_areas",
            Op::ListTargets => "list_targets",
            Op::SetTarget => "set_target",
            Op::DeleteTarget => "delete_target",
            Op::CreateReport => "create_report",
            Op::ListReports => "list_reports",
            Op::GetReport => "get_report",
            Op::UpdateReport => "update_report",
            Op::SubmitReport => "submit_report",
            Op::AcceptReport => "accept_report",
            Op::ReturnReport => "return_report",
            Op::ReviseReport => "revise_report",
            Op::ExportReport => "export_report",
            Op::GetConsolidatedReport => "get_consolidated_report",
            Op::ListOverdueReports => "list_overdue_reports",
            Op::ListEvents => "list_events",
            Op::CreateWebhook => "create_webhook",
            Op::ListWebhooks => "list_webhooks",
            Op::GetWebhook => "get_webhook",
            Op::DeleteWebhook => "delete_webhook",
            Op::ListWebhookDeliveries => "list_webhook_deliveries",
            Op::ReplayWebhookDelivery => "replay_webhook_delivery",
            Op::ImportPersons => "import_persons",
            Op::ExportPersons => "export_persons",
            Op::CreateCommittee => "create_committee",
            Op::ListCommittees => "list_committees",
            Op::GetCommittee => "get_committee",
            Op::AddCommitteeMember => "add_member",
            Op::EndCommitteeMember => "end_member",
            Op::ConsolidateCommittee => "consolidate_committee",
            Op::DissolveCommittee => "dissolve_committee",
            Op::CreateModel => "create_model",
            Op::ListModels => "list_models",
            Op::GetModel => "get_model",
            Op::RecordMilestone => "record_milestone",
            Op::ChangeModelStatus => "change_model_status",
            Op::AddModelParticipant => "add_participant",
            Op::LeaveModel => "leave_model",
            Op::AddModelReview => "add_review",
            Op::GetModelSummary => "get_model_summary",
            Op::CreateOutreachEvent => "create_outreach_event",
            Op::ListOutreachEvents => "list_outreach_events",
            Op::GetOutreachSummary => "get_outreach_summary",
            Op::CreatePropagandist => "create_propagandist",
            Op::ListPropagandists => "list_propagandists",
            Op::CreateAssignment => "create_assignment",
            Op::ListPersonAssignments => "list_person_assignments",
            Op::ListAssignments => "list_assignments",
            Op::EndAssignment => "end_assignment",
            Op::CreateActivity => "create_activity",
            Op::ListActivities => "list_activities",
            Op::CorrectActivity => "correct_activity",
            Op::DeleteActivity => "delete_activity",
            Op::GetPlan => "get_plan",
            Op::UpdatePlanItem => "update_plan_item",
            Op::GetPlanSummary => "get_plan_summary",
            Op::CreateTraining => "create_training",
            Op::ListTrainings => "list_trainings",
            Op::CreateJobReferral => "create_job_referral",
            Op::ListJobReferrals => "list_job_referrals",
            Op::SetJobReferralOutcome => "set_job_referral_outcome",
            Op::CreateSocialAssistance => "create_social_assistance",
            Op::ListSocialAssistance => "list_social_assistance",
            Op::CreateEmployer => "create_employer",
            Op::ListEmployers => "list_employers",
            Op::ListPersons => "list_persons",
            Op::ListIdNumberConflicts => "list_id_number_conflicts",
            Op::CreatePerson => "create_person",
            Op::GetPerson => "get_person",
            Op::UpdatePerson => "update_person",
            Op::GetStatusHistory => "get_status_history",
            Op::GetAttributeHistory => "get_attribute_history",
            Op::ReceivePerson => "receive_person",
            Op::StartManagement => "start_management",
            Op::TransferPerson => "transfer_person",
            Op::RecordAbsconding => "record_absconding",
            Op::RecordReturn => "record_return",
            Op::RecordLawViolation => "record_law_violation",
            Op::RecordDeath => "record_death",
            Op::ListConvictions => "list_convictions",
            Op::CreateConviction => "create_conviction",
            Op::UpdateConviction => "update_conviction",
            Op::ListConvictionVersions => "list_conviction_versions",
            Op::GetExpungement => "get_expungement",
            Op::UpdateExpungement => "update_expungement",
            Op::ListJudicialRecordRequests => "list_judicial_record_requests",
            Op::CreateJudicialRecordRequest => "create_judicial_record_request",
            Op::CreateReleaseNotice => "create_release_notice",
            Op::ListReleaseNotices => "list_release_notices",
            Op::GetReleaseNotice => "get_release_notice",
            Op::VerifyReleaseNotice => "verify_release_notice",
            Op::CreateFacilityActivity => "create_facility_activity",
            Op::ListFacilityActivities => "list_facility_activities",
            Op::GetFacilityActivity => "get_facility_activity",
        }
    }

    pub fn from_operation_id(id: &str) -> Option<Op> {
        Op::ALL.iter().copied().find(|op| op.operation_id() == id)
    }

    pub fn allows(self, roles: &[Role]) -> bool {
        self.roles().iter().any(|r| roles.contains(r))
    }
}

/// Operations reachable without a token.
pub const PUBLIC_OPERATIONS: &[&str] = &["healthz", "readyz", "issue_token"];

/// The operation behind each route, read from the OpenAPI document at start-up, so that the
/// bearer-token extractor refuses a role before any path, query or body is looked at: a
/// denied caller learns nothing from validation messages.
pub struct RouteOps(std::collections::HashMap<String, Vec<(&'static str, Op)>>);

impl RouteOps {
    pub fn from_doc(doc: &utoipa::openapi::OpenApi) -> RouteOps {
        let mut map: std::collections::HashMap<String, Vec<(&'static str, Op)>> = std::collections::HashMap::new();
        for (path, item) in &doc.paths.paths {
            let ops = [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("PATCH", &item.patch),
                ("DELETE", &item.delete),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                if let Some(found) = op.operation_id.as_deref().and_then(Op::from_operation_id) {
                    map.entry(path.clone()).or_default().push((method, found));
                }
            }
        }
        RouteOps(map)
    }

    /// The operation for a method and a matched route pattern (`/api/v1/persons/{id}`).
    pub fn get(&self, method: &str, pattern: &str) -> Option<Op> {
        self.0.get(pattern)?.iter().find(|(m, _)| *m == method).map(|(_, op)| *op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_operation_has_roles_and_a_unique_id() {
        let mut ids = HashSet::new();
        for op in Op::ALL {
            assert!(!op.roles().is_empty(), "{op:?} has no roles");
            assert!(ids.insert(op.operation_id()), "duplicate id {}", op.operation_id());
            assert_eq!(Op::from_operation_id(op.operation_id()), Some(*op));
        }
    }

    #[test]
    fn account_management_is_admin_only() {
        for role in Role::ALL {
            assert_eq!(Op::CreateAccount.allows(&[role]), role == Admin, "{role:?}");
        }
        assert!(Op::ListAuditEvents.allows(&[Auditor]));
        assert!(!Op::ListAuditEvents.allows(&[Police]));
    }

    #[test]
    fn a_facility_sends_notices_and_records_its_work_and_nothing_else() {
        let allowed: Vec<Op> = Op::ALL.iter().copied().filter(|op| op.allows(&[Facility])).collect();
        let everyone: Vec<Op> = Op::ALL.iter().copied().filter(|op| op.roles() == EVERYONE).collect();
        let own = [
            Op::CreateReleaseNotice,
            Op::ListReleaseNotices,
            Op::GetReleaseNotice,
            Op::CreateFacilityActivity,
            Op::ListFacilityActivities,
            Op::GetFacilityActivity,
        ];
        for op in &allowed {
            assert!(own.contains(op) || everyone.contains(op), "facility may call {op:?}");
        }
        for op in own {
            assert!(allowed.contains(&op), "facility may not call {op:?}");
        }
    }
}
