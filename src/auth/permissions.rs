//! The permission table: which roles may call each operation. Default-deny: an operation
//! not listed here cannot be called, and a test fails if the OpenAPI document has an
//! operation missing from this table (or the other way round).

use super::roles::Role;
use Role::*;

const EVERYONE: &[Role] = &Role::ALL;
/// Agencies that work with person records (purpose decides the fields they get).
const READ_PERSON: &[Role] = &[Police, CommuneCommittee, Justice, Labour, Bank, Supervisor];
/// The standing agency and the commune committee run the lifecycle.
const MANAGE: &[Role] = &[Police, CommuneCommittee];
const POLICE: &[Role] = &[Police];
/// Release notices: facilities send them (to any commune) and read back their own; the
/// commune police verify the address.
const NOTICE_WRITE: &[Role] = &[Police, Facility];
const NOTICE_READ: &[Role] = &[Police, CommuneCommittee, Facility];
/// Work inside detention facilities: the facility itself, or the police.
const FACILITY_WORK: &[Role] = &[Police, Facility];
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
/// Partner agencies hear of changes (each event type is further limited by role,
/// `auth::events`).
const EVENTS: &[Role] = &[Police, CommuneCommittee, Justice, Labour, Bank];
/// Printed lists of persons (fields as each role may see them): the roles that may use at
/// least one list kind (`auth::fields::EXPORT_LISTS`); every list reveals status or
/// expungement data, which the bank does not see.
const EXPORT: &[Role] = &[Police, CommuneCommittee, Justice, Labour];
const RATE_WRITE: &[Role] = &[Bank, Admin];
/// Targets and plans: every agency that owns an indicator family; which indicators each may
/// set is the [`TARGET_FAMILIES`] table.
const TARGET_WRITE: &[Role] = &[Police, CommuneCommittee, Justice, Labour, Bank];
const LOAN_TARGETS: &[Role] = &[Police, Bank];
const EMPLOYERS_READ: &[Role] = &[Police, CommuneCommittee, Labour];

/// Generates [`Op`], [`Op::ALL`], [`Op::operation_id`], [`Op::from_operation_id`] and
/// [`Op::roles`] from the one table below, so an operation is declared in one line.
macro_rules! operations {
    ($($(#[$doc:meta])* $op:ident = $id:literal => $roles:expr,)*) => {
        /// Every authenticated operation, named by its OpenAPI `operationId`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Op {
            $($(#[$doc])* $op,)*
        }

        impl Op {
            /// Every operation, in the order of the table.
            pub const ALL: &'static [Op] = &[$(Op::$op,)*];

            /// The roles allowed to call this operation.
            pub fn roles(self) -> &'static [Role] {
                match self {
                    $(Op::$op => $roles,)*
                }
            }

            /// The OpenAPI operationId (the handler's function name).
            pub fn operation_id(self) -> &'static str {
                match self {
                    $(Op::$op => $id,)*
                }
            }

            pub fn from_operation_id(id: &str) -> Option<Op> {
                match id {
                    $($id => Some(Op::$op),)*
                    _ => None,
                }
            }
        }
    };
}

// THE TABLE. Every authenticated operation is declared here, once:
//
//     VariantName = "operation_id" => ROLES,
//
// To add an endpoint: (1) write the handler in its `api/` module, with `#[utoipa::path]`
// and the route attribute, calling `state.run(&auth, Op::VariantName, …)`; (2) add it to
// that module's `routes` function at the end of the file; (3) add its line here. The
// operation id is the handler's function name. ROLES is one of the groups above or a
// literal list; default-deny means an operation missing here cannot be called, and the
// contract test fails when the table and the OpenAPI document disagree. The matrix test
// (`tests/api/matrix.rs`) then calls the new route with every role.
operations! {
    GetCurrentPrincipal = "get_current_principal" => EVERYONE,
    ListAdminUnits = "list_admin_units" => EVERYONE,
    GetAdminUnit = "get_admin_unit" => EVERYONE,

    // Accounts and integration clients.
    ListAccounts = "list_accounts" => &[Admin],
    CreateAccount = "create_account" => &[Admin],
    GetAccount = "get_account" => &[Admin],
    UpdateAccount = "update_account" => &[Admin],
    DisableAccount = "disable_account" => &[Admin],
    EnableAccount = "enable_account" => &[Admin],
    // Anyone may change their own password; admins may reset others' (checked in the handler).
    ChangePassword = "change_password" => EVERYONE,
    ListClients = "list_clients" => &[Admin],
    CreateClient = "create_client" => &[Admin],
    GetClient = "get_client" => &[Admin],
    RotateClientSecret = "rotate_client_secret" => &[Admin],
    DisableClient = "disable_client" => &[Admin],
    EnableClient = "enable_client" => &[Admin],
    ListAuditEvents = "list_audit_events" => &[Admin, Auditor],

    // Persons, lifecycle, convictions, expungement.
    ListPersons = "list_persons" => READ_PERSON,
    // Provincial police (the handler refuses commune units) and admins.
    ListIdNumberConflicts = "list_id_number_conflicts" => &[Police, Admin],
    CreatePerson = "create_person" => MANAGE,
    GetPerson = "get_person" => READ_PERSON,
    UpdatePerson = "update_person" => MANAGE,
    GetStatusHistory = "get_status_history" => STATUS_READ,
    GetAttributeHistory = "get_attribute_history" => MANAGE,
    ReceivePerson = "receive_person" => MANAGE,
    StartManagement = "start_management" => MANAGE,
    TransferPerson = "transfer_person" => MANAGE,
    RecordAbsconding = "record_absconding" => MANAGE,
    RecordReturn = "record_return" => MANAGE,
    RecordLawViolation = "record_law_violation" => MANAGE,
    RecordDeath = "record_death" => MANAGE,
    ListConvictions = "list_convictions" => CRIMINAL_READ,
    CreateConviction = "create_conviction" => CONVICTION_WRITE,
    UpdateConviction = "update_conviction" => CONVICTION_WRITE,
    ListConvictionVersions = "list_conviction_versions" => CRIMINAL_READ,
    GetExpungement = "get_expungement" => CRIMINAL_READ,
    UpdateExpungement = "update_expungement" => JUSTICE,
    ListJudicialRecordRequests = "list_judicial_record_requests" => CRIMINAL_READ,
    CreateJudicialRecordRequest = "create_judicial_record_request" => JUSTICE,

    // Release notices.
    CreateReleaseNotice = "create_release_notice" => NOTICE_WRITE,
    ListReleaseNotices = "list_release_notices" => NOTICE_READ,
    GetReleaseNotice = "get_release_notice" => NOTICE_READ,
    VerifyReleaseNotice = "verify_release_notice" => POLICE,
    CreateFacilityActivity = "create_facility_activity" => FACILITY_WORK,
    ListFacilityActivities = "list_facility_activities" => FACILITY_WORK,
    GetFacilityActivity = "get_facility_activity" => FACILITY_WORK,

    // Supervision, activities, the reintegration plan.
    CreateAssignment = "create_assignment" => MANAGE,
    ListPersonAssignments = "list_person_assignments" => SUPERVISE,
    ListAssignments = "list_assignments" => SUPERVISE,
    EndAssignment = "end_assignment" => MANAGE,
    CreateActivity = "create_activity" => SUPERVISE,
    ListActivities = "list_activities" => SUPERVISE,
    CorrectActivity = "correct_activity" => SUPERVISE,
    DeleteActivity = "delete_activity" => SUPERVISE,
    GetPlan = "get_plan" => PLAN,
    UpdatePlanItem = "update_plan_item" => PLAN,
    GetPlanSummary = "get_plan_summary" => PLAN_SUMMARY,

    // Labour.
    CreateTraining = "create_training" => LABOUR,
    ListTrainings = "list_trainings" => LABOUR_READ,
    CreateJobReferral = "create_job_referral" => LABOUR,
    ListJobReferrals = "list_job_referrals" => LABOUR_READ,
    SetJobReferralOutcome = "set_job_referral_outcome" => LABOUR,
    CreateSocialAssistance = "create_social_assistance" => LABOUR,
    ListSocialAssistance = "list_social_assistance" => LABOUR_READ,
    CreateEmployer = "create_employer" => LABOUR,
    ListEmployers = "list_employers" => EMPLOYERS_READ,

    // Committees, models, outreach.
    CreateCommittee = "create_committee" => MANAGE,
    ListCommittees = "list_committees" => ORG_READ,
    GetCommittee = "get_committee" => ORG_READ,
    AddCommitteeMember = "add_member" => MANAGE,
    EndCommitteeMember = "end_member" => MANAGE,
    ConsolidateCommittee = "consolidate_committee" => MANAGE,
    DissolveCommittee = "dissolve_committee" => MANAGE,
    CreateModel = "create_model" => MANAGE,
    ListModels = "list_models" => ORG_READ,
    GetModel = "get_model" => ORG_READ,
    RecordMilestone = "record_milestone" => MANAGE,
    ChangeModelStatus = "change_model_status" => MANAGE,
    AddModelParticipant = "add_participant" => MANAGE,
    LeaveModel = "leave_model" => MANAGE,
    AddModelReview = "add_review" => MANAGE,
    GetModelSummary = "get_model_summary" => ORG_READ,
    CreateOutreachEvent = "create_outreach_event" => MANAGE,
    ListOutreachEvents = "list_outreach_events" => ORG_READ,
    GetOutreachSummary = "get_outreach_summary" => ORG_READ,
    CreatePropagandist = "create_propagandist" => MANAGE,
    ListPropagandists = "list_propagandists" => ORG_READ,

    // Loans, loan lists, rates.
    GetLoanEligibility = "get_loan_eligibility" => LOAN_READ,
    CreateLoanList = "create_loan_list" => POLICE,
    ListLoanLists = "list_loan_lists" => LOAN_READ,
    GetLoanList = "get_loan_list" => LOAN_READ,
    CertifyLoanList = "certify_loan_list" => COMMITTEE,
    SendLoanList = "send_loan_list" => POLICE,
    AcknowledgeLoanList = "acknowledge_loan_list" => BANK,
    CreateLoan = "create_loan" => LOAN_APPLY,
    ListLoans = "list_loans" => LOAN_READ,
    GetLoan = "get_loan" => LOAN_READ,
    SubmitLoan = "submit_loan" => LOAN_APPLY,
    CertifyLoan = "certify_loan" => COMMITTEE,
    ApproveLoan = "approve_loan" => BANK,
    RejectLoan = "reject_loan" => BANK,
    PostDisbursement = "post_disbursement" => BANK,
    PostRepayment = "post_repayment" => BANK,
    MarkLoanOverdue = "mark_loan_overdue" => BANK,
    WriteOffLoan = "write_off_loan" => BANK,
    RecordUseCheck = "record_use_check" => MANAGE,
    GetLoanPortfolio = "get_loan_portfolio" => LOAN_READ,
    ListLoanRates = "list_loan_rates" => LOAN_READ,
    CreateLoanRate = "create_loan_rate" => RATE_WRITE,

    // The holiday calendar counts deadlines for everyone; admins keep it.
    ListHolidays = "list_holidays" => EVERYONE,
    CreateHoliday = "create_holiday" => &[Admin],

    // Indicators, areas, targets, reports.
    GetIndicators = "get_indicators" => REPORT_READ,
    CreateArea = "create_area" => &[Admin, Police],
    ListAreas = "list_areas" => AREA_READ,
    ListTargets = "list_targets" => REPORT_READ,
    SetTarget = "set_target" => TARGET_WRITE,
    DeleteTarget = "delete_target" => TARGET_WRITE,
    CreatePlanDocument = "create_plan_document" => TARGET_WRITE,
    ListPlanDocuments = "list_plan_documents" => REPORT_READ,
    GetPlanDocument = "get_plan_document" => REPORT_READ,
    UpdatePlanDocument = "update_plan_document" => TARGET_WRITE,
    ArchivePlanDocument = "archive_plan_document" => TARGET_WRITE,
    GetPlanDocumentProgress = "get_plan_document_progress" => REPORT_READ,
    CreateReport = "create_report" => MANAGE,
    ListReports = "list_reports" => REPORT_READ,
    GetReport = "get_report" => REPORT_READ,
    UpdateReport = "update_report" => MANAGE,
    SubmitReport = "submit_report" => MANAGE,
    AcceptReport = "accept_report" => MANAGE,
    ReturnReport = "return_report" => MANAGE,
    ReviseReport = "revise_report" => MANAGE,
    ExportReport = "export_report" => REPORT_READ,
    GetConsolidatedReport = "get_consolidated_report" => REPORT_READ,
    ListOverdueReports = "list_overdue_reports" => REPORT_READ,

    // Change feed, webhooks, imports and printed lists.
    ListEvents = "list_events" => EVENTS,
    CreateWebhook = "create_webhook" => EVENTS,
    ListWebhooks = "list_webhooks" => EVENTS,
    GetWebhook = "get_webhook" => EVENTS,
    DeleteWebhook = "delete_webhook" => EVENTS,
    ListWebhookDeliveries = "list_webhook_deliveries" => EVENTS,
    ReplayWebhookDelivery = "replay_webhook_delivery" => EVENTS,
    ImportPersons = "import_persons" => MANAGE,
    ExportPersons = "export_persons" => EXPORT,
}

// WHO SETS WHICH TARGET (issue 27, point 5). Each indicator family belongs to an agency:
// reception and management to the police, training and jobs to labour, legal help and
// expungement to justice, loans to the police with the bank. The first row whose key
// prefix matches an indicator decides; the last row catches every other indicator.
// Commune committees and police above commune level set any target for their unit
// ([`may_set_target`]). Enforced for plan targets and for `set_target`/`delete_target`.
//
//     ("key prefix", "family", AGENCIES),
pub const TARGET_FAMILIES: &[(&str, &str, &[Role])] = &[
    ("support.legal_support", "legal help", JUSTICE),
    ("support.legal_help_persons", "legal help", JUSTICE),
    ("support.judicial_record_requests.", "expungement", JUSTICE),
    ("exits.expunged", "expungement", JUSTICE),
    ("rates.given_legal_help", "legal help", JUSTICE),
    ("support.training", "training", LABOUR),
    ("support.trained_persons", "training", LABOUR),
    ("rates.trained", "training", LABOUR),
    ("support.job_referrals", "jobs", LABOUR),
    ("support.hire", "jobs", LABOUR),
    ("support.assistance_", "jobs and social assistance", LABOUR),
    ("rates.placed_in_jobs", "jobs", LABOUR),
    ("rates.employed_at_end", "jobs", LABOUR),
    ("loans.", "loans", LOAN_TARGETS),
    ("other_programme_loans.", "loans", LOAN_TARGETS),
    ("rates.given_loans", "loans", LOAN_TARGETS),
    ("rates.borrowers", "loans", LOAN_TARGETS),
    ("", "reception and management", POLICE),
];

/// The family of an indicator and the agencies it belongs to.
pub fn target_family(indicator: &str) -> (&'static str, &'static [Role]) {
    TARGET_FAMILIES
        .iter()
        .find(|(prefix, _, _)| indicator.starts_with(prefix))
        .map(|(_, family, roles)| (*family, *roles))
        .unwrap_or(("reception and management", POLICE))
}

/// Whether a principal with `roles` in `scope` may set a target on `indicator`: its
/// family's agency, the commune committee, or police above commune level.
pub fn may_set_target(roles: &[Role], scope: &super::Jurisdiction, indicator: &str) -> bool {
    let (_, agencies) = target_family(indicator);
    roles.contains(&CommuneCommittee)
        || (roles.contains(&Police) && !matches!(scope, super::Jurisdiction::Commune(_)))
        || agencies.iter().any(|r| roles.contains(r))
}

/// The 403 detail naming the indicator a principal may not set.
pub fn target_denial(indicator: &str) -> String {
    let (family, agencies) = target_family(indicator);
    let names: Vec<&str> = agencies.iter().map(|r| r.as_str()).collect();
    format!(
        "`{indicator}` is a {family} indicator: its targets are set by {}, the commune committee or provincial police",
        names.join(" with ")
    )
}

impl Op {
    pub fn allows(self, roles: &[Role]) -> bool {
        self.roles().iter().any(|r| roles.contains(r))
    }

    /// Whether the operation computes figures over whole units (indicators, a report's
    /// snapshot, a consolidation, a plan's progress) or prints a whole unit's list: seconds
    /// for a province on SQLite. These share at most half the connection pool
    /// (`state::report_slots`), so writes and look-ups always find a connection.
    pub fn computes_figures(self) -> bool {
        matches!(
            self,
            Op::GetIndicators
                | Op::GetPlanDocumentProgress
                | Op::CreateReport
                | Op::UpdateReport
                | Op::ReviseReport
                | Op::GetConsolidatedReport
                | Op::ExportPersons
        )
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
            let id = op.operation_id();
            assert!(
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{op:?}: operationId `{id}` is not a snake_case function name"
            );
        }
        assert_eq!(Op::from_operation_id("no_such_operation"), None);
    }

    #[test]
    fn every_operation_appears_in_the_table_exactly_once() {
        // `Op::ALL` lists the variants in declaration order: the n-th entry is the variant
        // with discriminant n, so none is missing, repeated or out of place.
        for (i, op) in Op::ALL.iter().enumerate() {
            assert_eq!(*op as usize, i, "{op:?} is not the table's entry {i}");
        }
        let distinct: HashSet<Op> = Op::ALL.iter().copied().collect();
        assert_eq!(distinct.len(), Op::ALL.len());
        // A role listed twice would be a slip in a group or a literal list.
        for op in Op::ALL {
            let roles: HashSet<&Role> = op.roles().iter().collect();
            assert_eq!(roles.len(), op.roles().len(), "{op:?} lists a role twice");
        }
    }

    #[test]
    fn targets_are_set_by_the_agency_owning_their_family() {
        use crate::auth::Jurisdiction::{Commune, National, Province};
        let commune = Commune("00070".into());
        let province = Province("01".into());
        let cases: [(&[Role], &crate::auth::Jurisdiction, &str, bool); 22] = [
            (&[Police], &commune, "received.total", true),
            (&[Police], &commune, "rates.reoffending_of_managed", true),
            (&[Police], &commune, "rates.trained", false),
            (&[Police], &commune, "support.legal_help_persons", false),
            (&[Police], &commune, "loans.borrowers", true),
            (&[Police], &province, "rates.trained", true),
            (&[Police], &National, "support.legal_support.civil_status.count", true),
            (&[Labour], &commune, "rates.trained", true),
            (&[Labour], &province, "support.trainings_started", true),
            (&[Labour], &commune, "support.hired_persons", true),
            (&[Labour], &commune, "support.assistance_vnd", true),
            (&[Labour], &province, "received.total", false),
            (&[Labour], &commune, "rates.given_legal_help", false),
            (&[Justice], &commune, "rates.given_legal_help", true),
            (&[Justice], &commune, "exits.expunged", true),
            (&[Justice], &commune, "support.judicial_record_requests.requests", true),
            (&[Justice], &province, "rates.trained", false),
            (&[Bank], &commune, "rates.given_loans", true),
            (&[Bank], &province, "other_programme_loans.poor_households.loans", true),
            (&[Bank], &commune, "managed.at_end", false),
            (&[CommuneCommittee], &commune, "rates.trained", true),
            (&[CommuneCommittee], &commune, "exits.expunged", true),
        ];
        for (roles, scope, indicator, want) in cases {
            assert_eq!(may_set_target(roles, scope, indicator), want, "{roles:?} {scope:?} {indicator}");
        }
        assert!(target_denial("rates.trained").contains("`rates.trained` is a training indicator"));
        assert!(target_denial("loans.borrowers").contains("police with bank"));
        assert_eq!(target_family("organisation.models_active").0, "reception and management");
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
