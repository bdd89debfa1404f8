//! Problem responses that several operations document in the same words: one type each,
//! named in `#[utoipa::path(responses(...))]` beside the operation's own responses. Each
//! renders exactly as the tuple `(status = …, description = …, body = Problem,
//! content_type = "application/problem+json")` would. Responses every operation shares
//! (401, 403, 404 without a description of its own, …) are added by `openapi::complete`.

use crate::error::Problem;

/// Declares one problem response per line: `Name: status, "description";`.
macro_rules! problem_responses {
    ($($name:ident: $status:tt, $description:tt;)*) => {
        $(
            #[derive(utoipa::IntoResponses)]
            #[response(status = $status, description = $description, content_type = "application/problem+json")]
            pub struct $name(pub Problem);
        )*
    };
}

problem_responses! {
    PersonNotFound: 404, "No such person in your unit";
    CaseloadPersonNotFound: 404, "No such person in your unit or caseload";
    ConvictionNotFound: 404, "No such person in your unit, or no such conviction";
    AccountNotFound: 404, "No such account in your unit";
    ClientNotFound: 404, "No such client in your unit";
    CommitteeNotFound: 404, "No such committee in your unit";
    ModelNotFound: 404, "No such model in your unit";
    PlanNotFound: 404, "No such plan in your unit";
    ReportNotFound: 404, "No such report in your unit";
    NoticeNotFound: 404, "No such notice in your unit";
    ActivityNotFound: 404, "No such activity";
    SubscriptionNotFound: 404, "Not one of your subscriptions";
    NotReportingUnit: 403, "Not the reporting unit";
    NotRecipientUnit: 403, "Not the unit the report was submitted to";
    OtherAgencyIndicator: 403, "An indicator of another agency's family";
    NotADraft: 409, "Not a draft";
    NotSubmitted: 409, "Not submitted";
    NotCertified: 409, "Not certified";
    StatusForbids: 409, "Not allowed from the current status";
    StatusForbidsListed: 409, "Not allowed from the current status; `allowed` lists what is";
    BadDateOrUnit: 422, "`on` in the future, or a unit outside yours";
    BadPeriodOrUnit: 422, "Bad period, or a unit outside yours";
    IfMatchMissing: 428, "If-Match missing";
}

/// An update under optimistic concurrency (`If-Match`): 412 when the record changed since
/// it was read, 428 when the header is missing.
#[derive(utoipa::IntoResponses)]
pub enum IfMatchFailed {
    #[response(status = 412, description = "Changed since read", content_type = "application/problem+json")]
    Changed(Problem),
    #[response(status = 428, description = "If-Match missing", content_type = "application/problem+json")]
    Missing(Problem),
}
