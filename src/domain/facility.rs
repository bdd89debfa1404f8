//! Work inside detention facilities (trại giam, trại tạm giam, nhà tạm giữ) before release.

crate::text_enum!(
    /// What a facility activity record counts.
    FacilityActivityKind {
        /// Prisoners taken in to serve a sentence (tiếp nhận phạm nhân); `persons` is the count.
        Intake => "intake",
        /// Requests for completion certificates (đề nghị cấp giấy chứng nhận chấp hành xong án).
        CompletionCertificateRequest => "completion_certificate_request",
        /// Counselling before release (tư vấn); one record is one session.
        Counselling => "counselling",
        /// A briefing on a policy (phổ biến chính sách, e.g. Decision 22); needs `topic_code`,
        /// counts a session and its `attendance`.
        PolicyBriefing => "policy_briefing",
        /// Vocational training (dạy nghề); `persons` trained.
        VocationalTraining => "vocational_training",
        /// A pre-release education session (giáo dục chuẩn bị tái hòa nhập cộng đồng).
        PreReleaseEducation => "pre_release_education",
        /// Travel allowances paid on release (tiền tàu xe); `amount_vnd` in total for `persons`.
        TravelAllowance => "travel_allowance",
        /// The facility's population on `occurred_on` (monthly count; not a flow).
        Population => "population",
        /// Anything else worth recording.
        Other => "other",
    }
);

crate::text_enum!(
    /// The subject of a policy briefing.
    BriefingTopic {
        /// Policies on community reintegration.
        ReintegrationPolicy => "reintegration_policy",
        /// Loans under Decision 22/2023/QĐ-TTg.
        Decision22Loans => "decision_22_loans",
        /// Law dissemination (phổ biến pháp luật).
        LawDissemination => "law_dissemination",
        CrimePrevention => "crime_prevention",
        DrugPrevention => "drug_prevention",
        Other => "other",
    }
);

/// What is wrong with a record's figures, as (field, reason).
pub fn check(
    kind: FacilityActivityKind,
    topic: Option<BriefingTopic>,
    persons: i32,
    attendance: i32,
    amount_vnd: i64,
) -> Vec<(&'static str, &'static str)> {
    use FacilityActivityKind::*;
    let mut problems = Vec::new();
    match (kind, topic) {
        (PolicyBriefing, None) => problems.push(("topic_code", "is required for a policy briefing")),
        (PolicyBriefing, Some(_)) | (_, None) => {}
        (_, Some(_)) => problems.push(("topic_code", "is only for a policy briefing")),
    }
    if matches!(kind, Intake | CompletionCertificateRequest | TravelAllowance | Population | VocationalTraining)
        && persons < 1
    {
        problems.push(("persons", "give the number of persons (or person_ids)"));
    }
    if kind == PolicyBriefing && attendance < 1 {
        problems.push(("attendance", "a briefing has at least one attendee"));
    }
    match kind {
        TravelAllowance if amount_vnd < 1 => problems.push(("amount_vnd", "is required for a travel allowance")),
        TravelAllowance | Other => {}
        _ if amount_vnd != 0 => problems.push(("amount_vnd", "is only for a travel allowance or other")),
        _ => {}
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use FacilityActivityKind::*;

    #[test]
    fn each_kind_carries_its_own_figures() {
        assert!(check(Intake, None, 12, 12, 0).is_empty());
        assert_eq!(check(Intake, None, 0, 0, 0), vec![("persons", "give the number of persons (or person_ids)")]);
        assert!(check(PolicyBriefing, Some(BriefingTopic::Decision22Loans), 0, 80, 0).is_empty());
        assert_eq!(check(PolicyBriefing, None, 0, 80, 0)[0].0, "topic_code");
        assert_eq!(check(Counselling, Some(BriefingTopic::Other), 1, 1, 0)[0].0, "topic_code");
        assert!(check(TravelAllowance, None, 3, 3, 1_050_000).is_empty());
        assert_eq!(check(TravelAllowance, None, 3, 3, 0)[0].0, "amount_vnd");
        assert_eq!(check(Counselling, None, 1, 1, 5)[0].0, "amount_vnd");
        assert!(check(PreReleaseEducation, None, 0, 40, 0).is_empty());
    }
}
