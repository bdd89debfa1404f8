//! The indicator table: each figure's stable key, Vietnamese label and value, as the CSV,
//! XLSX and HTML exports and target keys use them.

use chrono::NaiveDate;

use super::*;

/// How a figure is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FigureValue {
    Count(i64),
    Vnd(i64),
    Rate(Rate),
}

impl FigureValue {
    /// The comparable value: counts and VND as they are, rates in hundredths of a percent.
    pub fn comparable(&self) -> Option<i64> {
        match self {
            FigureValue::Count(n) | FigureValue::Vnd(n) => Some(*n),
            FigureValue::Rate(r) => r.hundredths(),
        }
    }

    /// As written in exports: `7.46` for rates, plain integers otherwise.
    pub fn display(&self) -> String {
        match self {
            FigureValue::Count(n) | FigureValue::Vnd(n) => n.to_string(),
            FigureValue::Rate(r) => r.hundredths().map(|h| format!("{}.{:02}", h / 100, h % 100)).unwrap_or_default(),
        }
    }
}

/// One line of the indicator table: stable key, Vietnamese label, value.
#[derive(Debug, Clone)]
pub struct Figure {
    pub key: String,
    pub label: String,
    pub section: &'static str,
    pub value: FigureValue,
}

/// The Vietnamese label of an outreach kind (or of any kind code of the figures).
pub fn outreach_kind_label(kind: &str) -> &str {
    kind_label(kind)
}

fn kind_label(kind: &str) -> &str {
    match kind {
        "home_visit" => "thăm gặp tại nhà",
        "check_in" => "kiểm diện",
        "counselling_individual" => "tư vấn cá nhân",
        "counselling_group" => "tư vấn nhóm",
        "psychological_support" => "hỗ trợ tâm lý",
        "legal_support" => "trợ giúp pháp lý",
        "vocational_guidance" => "hướng nghiệp",
        "loan_guidance" => "hướng dẫn vay vốn",
        "violation_observed" => "phát hiện vi phạm",
        "commendation" => "khen ngợi",
        "national_id_card" => "làm CCCD",
        "residence_registration" => "đăng ký cư trú",
        "judicial_record_certificate" => "phiếu lý lịch tư pháp",
        "expungement_guidance" => "hướng dẫn xóa án tích",
        "civil_status" => "hộ tịch",
        "civil_judgment_obligation" => "nghĩa vụ thi hành án dân sự",
        "procedure_other" => "thủ tục khác",
        "self_management_group" => "Tổ tự quản",
        "youth_volunteer_team" => "Đội thanh niên tình nguyện",
        "employment_support" => "hỗ trợ việc làm",
        "joint_management" => "chung tay quản lý, giáo dục",
        "supervision_education" => "giám sát, giáo dục",
        "production" => "sản xuất",
        "meeting" => "họp, hội nghị",
        "broadcast_news" => "tin phát thanh, truyền hình",
        "article" => "bài viết",
        "leaflet_distribution" => "phát tờ rơi",
        "in_facility_session" => "buổi tại cơ sở giam giữ",
        "banner" => "băng rôn, khẩu hiệu",
        "loudspeaker" => "loa truyền thanh",
        _ => "khác",
    }
}

/// The Vietnamese label of a step of building a model.
fn step_label(step: &str) -> &str {
    match step {
        "committee_formed" => "thành lập Ban chủ nhiệm",
        "regulations_issued" => "ban hành quy chế",
        "first_activities" => "tổ chức hoạt động",
        "launched" => "ra mắt",
        "maintaining" => "duy trì hoạt động",
        _ => "khác",
    }
}

impl Indicators {
    /// The flat table used by CSV, XLSX, HTML, targets and comparisons.
    pub fn figures(&self) -> Vec<Figure> {
        let mut out = Vec::new();
        let mut push = |section: &'static str, key: String, label: String, value: FigureValue| {
            out.push(Figure { key, label, section, value });
        };
        use FigureValue::{Count as C, Rate as R, Vnd as V};
        let r = &self.received;
        for (k, l, v) in [
            ("total", "Tổng số tiếp nhận trong kỳ", r.total),
            ("completed_sentence", "— chấp hành xong án phạt tù", r.completed_sentence),
            ("special_amnesty", "— được đặc xá", r.special_amnesty),
            ("conditional_early_release", "— tha tù trước thời hạn có điều kiện", r.conditional_early_release),
            ("release_type_unknown", "— chưa rõ hình thức", r.release_type_unknown),
            ("transferred_in", "— từ nơi khác chuyển đến", r.transferred_in),
            ("late_parolees", "Tha tù có điều kiện trình diện quá 5 ngày", r.late_parolees),
            ("files_opened", "Số được tiếp nhận đã lập hồ sơ quản lý", r.files_opened),
            (
                "notified_two_months_ahead",
                "Số được tiếp nhận có thông báo trước 02 tháng khi chấp hành xong án",
                r.notified_two_months_ahead,
            ),
            ("released", "Số người chấp hành xong án phạt tù về địa phương", r.released),
            ("released_received", "— trong đó đã được tiếp nhận", r.released_received),
        ] {
            push("received", format!("received.{k}"), l.into(), C(v));
        }
        let e = &self.exits;
        for (k, l, v) in [
            ("total", "Tổng số giảm trong kỳ", e.total),
            ("expunged", "— được xóa án tích", e.expunged),
            ("reoffended", "— tái phạm tội", e.reoffended),
            ("law_violation", "— vi phạm pháp luật", e.law_violation),
            ("moved_out", "— chuyển đi nơi khác", e.moved_out),
            ("absconded", "— bỏ đi khỏi địa phương", e.absconded),
            ("deceased", "— chết", e.deceased),
        ] {
            push("exits", format!("exits.{k}"), l.into(), C(v));
        }
        let m = &self.managed;
        for (k, l, v) in [
            ("at_start", "Đang quản lý đầu kỳ", m.at_start),
            ("at_end", "Đang quản lý cuối kỳ", m.at_end),
            ("during_period", "Số người được quản lý trong kỳ", m.during_period),
            ("files_opened", "Hồ sơ quản lý lập mới", m.files_opened),
            ("at_end_male", "Cuối kỳ — nam", m.at_end_male),
            ("at_end_female", "Cuối kỳ — nữ", m.at_end_female),
            ("at_end_other_sex", "Cuối kỳ — giới tính khác", m.at_end_other_sex),
            ("at_end_juveniles", "Cuối kỳ — người chưa thành niên", m.at_end_juveniles),
            ("at_end_group_a", "Cuối kỳ — nhóm A", m.at_end_group_a),
            ("at_end_group_b", "Cuối kỳ — nhóm B", m.at_end_group_b),
            ("at_end_group_c", "Cuối kỳ — nhóm C", m.at_end_group_c),
            ("at_end_group_d", "Cuối kỳ — nhóm D", m.at_end_group_d),
            ("at_end_unclassified", "Cuối kỳ — chưa phân loại", m.at_end_unclassified),
            ("at_end_needs_focus", "Cuối kỳ — cần áp dụng biện pháp trọng điểm", m.at_end_needs_focus),
            ("at_end_employed_stable", "Cuối kỳ — có việc làm ổn định", m.at_end_employed_stable),
            ("at_end_employed_unstable", "Cuối kỳ — có việc làm không ổn định", m.at_end_employed_unstable),
            ("at_end_unemployed", "Cuối kỳ — chưa có việc làm", m.at_end_unemployed),
            ("at_end_employment_unknown", "Cuối kỳ — chưa rõ việc làm", m.at_end_employment_unknown),
        ] {
            push("managed", format!("managed.{k}"), l.into(), C(v));
        }
        let s = &self.support;
        for a in &s.activities {
            let l = kind_label(&a.kind);
            push("support", format!("support.activities.{}.count", a.kind), format!("Lượt {l}"), C(a.count));
            push("support", format!("support.activities.{}.persons", a.kind), format!("Số người — {l}"), C(a.persons));
        }
        for a in &s.legal_support {
            let l = kind_label(&a.kind);
            push(
                "support",
                format!("support.legal_support.{}.count", a.kind),
                format!("Trợ giúp pháp lý — {l}"),
                C(a.count),
            );
            push(
                "support",
                format!("support.legal_support.{}.persons", a.kind),
                format!("Số người được trợ giúp — {l}"),
                C(a.persons),
            );
        }
        for (k, l, v) in [
            ("counselling_sessions", "Buổi tư vấn tâm lý", s.counselling_sessions),
            ("counselling_persons", "Số người được tư vấn", s.counselling_persons),
            ("legal_help_persons", "Số người được trợ giúp pháp lý", s.legal_help_persons),
            ("trainings_started", "Khóa đào tạo nghề bắt đầu", s.trainings_started),
            ("trained_persons", "Số người được đào tạo nghề", s.trained_persons),
            ("trainings_completed", "Khóa đào tạo nghề kết thúc", s.trainings_completed),
            ("job_referrals", "Lượt giới thiệu việc làm", s.job_referrals),
            ("hires", "Lượt được tuyển dụng", s.hires),
            ("hired_persons", "Số người có việc làm qua giới thiệu", s.hired_persons),
            ("assistance_grants", "Lượt trợ giúp xã hội", s.assistance_grants),
            ("assistance_persons", "Số người được trợ giúp xã hội", s.assistance_persons),
        ] {
            push("support", format!("support.{k}"), l.into(), C(v));
        }
        push("support", "support.assistance_vnd".into(), "Kinh phí trợ giúp xã hội (đồng)".into(), V(s.assistance_vnd));
        let lo = &self.loans;
        for (k, l, v) in [
            ("listed_eligible", "Số người đủ điều kiện vay (danh sách)", C(lo.listed_eligible)),
            ("applications", "Hồ sơ đề nghị vay", C(lo.applications)),
            ("disbursed_loans", "Khoản vay được giải ngân", C(lo.disbursed_loans)),
            ("borrowers", "Số người được vay", C(lo.borrowers)),
            ("disbursed_vnd", "Số tiền giải ngân (đồng)", V(lo.disbursed_vnd)),
            ("outstanding_vnd", "Dư nợ cuối kỳ (đồng)", V(lo.outstanding_vnd)),
            ("borrowers_all_programmes", "Số người được vay (tất cả các chương trình)", C(lo.borrowers_all_programmes)),
        ] {
            push("loans", format!("loans.{k}"), l.into(), v);
        }
        let o = &self.organisation;
        for mt in &o.models_by_type {
            let l = kind_label(&mt.kind);
            push("organisation", format!("organisation.models.{}.count", mt.kind), format!("Mô hình {l}"), C(mt.count));
            push(
                "organisation",
                format!("organisation.models.{}.persons", mt.kind),
                format!("Người tham gia mô hình {l}"),
                C(mt.persons),
            );
        }
        for ms in &o.models_by_step {
            push(
                "organisation",
                format!("organisation.models_by_step.{}", ms.kind),
                format!("Mô hình đã đạt bước: {}", step_label(&ms.kind)),
                C(ms.count),
            );
        }
        for ok in &o.outreach_by_kind {
            let l = kind_label(&ok.kind);
            push(
                "organisation",
                format!("organisation.outreach.{}.count", ok.kind),
                format!("Tuyên truyền — {l}"),
                C(ok.count),
            );
            push(
                "organisation",
                format!("organisation.outreach.{}.audience", ok.kind),
                format!("Lượt người nghe — {l}"),
                C(ok.persons),
            );
        }
        for (k, l, v) in [
            ("models_active", "Mô hình đang hoạt động", o.models_active),
            ("model_participants", "Người tham gia mô hình", o.model_participants),
            ("model_person_participants", "Người được quản lý tham gia mô hình", o.model_person_participants),
            ("committees_active", "Ban Chỉ đạo đang hoạt động", o.committees_active),
            ("outreach_events", "Hoạt động tuyên truyền", o.outreach_events),
            ("outreach_audience", "Lượt người được tuyên truyền", o.outreach_audience),
            ("outreach_quantity", "Số tin, bài, tờ rơi", o.outreach_quantity),
            ("propagandists", "Tuyên truyền viên", o.propagandists),
            ("communes_with_managed", "Số xã có người được quản lý", o.communes_with_managed),
            ("communes_with_model", "Số xã có mô hình", o.communes_with_model),
            ("communes_with_outreach", "Số xã tổ chức tuyên truyền", o.communes_with_outreach),
            ("communes_with_propagandists", "Số xã có tuyên truyền viên", o.communes_with_propagandists),
            (
                "communes_with_effective_model",
                "Số xã có mô hình được đánh giá hiệu quả",
                o.communes_with_effective_model,
            ),
        ] {
            push("organisation", format!("organisation.{k}"), l.into(), C(v));
        }
        let p = &self.pre_release;
        push("pre_release", "pre_release.notices".into(), "Thông báo trước khi chấp hành xong án".into(), C(p.notices));
        push(
            "pre_release",
            "pre_release.in_facility_counselling".into(),
            "Buổi tư vấn tại cơ sở giam giữ".into(),
            C(p.in_facility_counselling),
        );
        push(
            "pre_release",
            "pre_release.travel_allowances".into(),
            "Số người được cấp tiền tàu xe".into(),
            C(p.travel_allowances),
        );
        push(
            "pre_release",
            "pre_release.travel_allowance_vnd".into(),
            "Tiền tàu xe (đồng)".into(),
            V(p.travel_allowance_vnd),
        );
        for (k, l, v) in [
            ("intakes", "Số phạm nhân được tiếp nhận vào cơ sở giam giữ", p.intakes),
            (
                "certificate_requests",
                "Số trường hợp đề nghị cấp giấy chứng nhận chấp hành xong án",
                p.certificate_requests,
            ),
            ("policy_briefings.sessions", "Buổi phổ biến chính sách tại cơ sở giam giữ", p.policy_briefings.sessions),
            ("policy_briefings.attendance", "Lượt người dự phổ biến chính sách", p.policy_briefings.attendance),
            ("trainings", "Số phạm nhân được dạy nghề", p.trainings),
            ("education_sessions", "Buổi giáo dục chuẩn bị tái hòa nhập cộng đồng", p.education_sessions),
            ("population", "Số phạm nhân đang chấp hành án tại cơ sở giam giữ", p.population),
            ("counselled_or_educated", "Số phạm nhân được tư vấn, giáo dục", p.counselled_or_educated),
        ] {
            push("pre_release", format!("pre_release.{k}"), l.into(), C(v));
        }
        for (k, l, v) in [
            (
                "counselled_or_educated_of_held",
                "Tỷ lệ phạm nhân được tư vấn, giáo dục (%)",
                p.counselled_or_educated_of_held,
            ),
            ("trained_of_held", "Tỷ lệ phạm nhân trong độ tuổi lao động được dạy nghề (%)", p.trained_of_held),
        ] {
            push("pre_release", format!("pre_release.{k}"), l.into(), R(v));
        }
        let rt = &self.rates;
        for (k, l, v) in [
            ("reoffending_of_received", "Tỷ lệ tái phạm, VPPL trên số tiếp nhận (%)", rt.reoffending_of_received),
            ("reoffending_of_managed", "Tỷ lệ tái phạm, VPPL trên số được quản lý (%)", rt.reoffending_of_managed),
            ("trained", "Tỷ lệ được đào tạo nghề (%)", rt.trained),
            ("placed_in_jobs", "Tỷ lệ được giới thiệu có việc làm (%)", rt.placed_in_jobs),
            ("given_loans", "Tỷ lệ người đủ điều kiện được vay vốn (%)", rt.given_loans),
            ("given_legal_help", "Tỷ lệ được trợ giúp pháp lý (%)", rt.given_legal_help),
            ("employed_at_end", "Tỷ lệ có việc làm cuối kỳ (%)", rt.employed_at_end),
            ("communes_with_model", "Tỷ lệ xã có mô hình (%)", rt.communes_with_model),
            ("communes_with_outreach", "Tỷ lệ xã tổ chức tuyên truyền (%)", rt.communes_with_outreach),
            ("communes_with_propagandists", "Tỷ lệ xã có tuyên truyền viên (%)", rt.communes_with_propagandists),
            (
                "received_of_released",
                "Tỷ lệ tiếp nhận trên số chấp hành xong án về địa phương (%)",
                rt.received_of_released,
            ),
            ("files_opened_of_received", "Tỷ lệ lập hồ sơ quản lý trên số tiếp nhận (%)", rt.files_opened_of_received),
            (
                "notified_two_months_ahead",
                "Tỷ lệ được thông báo trước 02 tháng khi chấp hành xong án (%)",
                rt.notified_two_months_ahead,
            ),
            ("borrowers_of_managed", "Tỷ lệ người được vay vốn trên số được quản lý (%)", rt.borrowers_of_managed),
        ] {
            push("rates", format!("rates.{k}"), l.into(), R(v));
        }
        crate::domain::report_lines::append_figures(self, &mut out);
        out
    }
}

impl Indicators {
    /// Whether the figure `key` is counted in percent (the `rates.*` figures and the
    /// pre-release rates) rather than as a count; `None` when no figure has that key.
    pub fn is_rate(key: &str) -> Option<bool> {
        let d = NaiveDate::default();
        let figure = Indicators::zero("VN", d, d).figures().into_iter().find(|f| f.key == key)?;
        Some(matches!(figure.value, FigureValue::Rate(_)))
    }
}
