//! Report lines beyond Decision 22 (issue 24, points 4–8): loans of the bank's other
//! programmes, outreach by kind and topic, legal-procedure help as one line, the justice
//! office's judicial-record requests and the persons each supervising organisation helped.
//! Every field defaults, so report snapshots taken before these lines still read.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::enums::{LoanProgramme, Organisation, OutreachTopic};
use crate::domain::indicators::{outreach_kind_label, Figure, FigureValue, Indicators};

/// Loans of one Social Policy Bank programme other than Decision 22, disbursed in the period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ProgrammeLoans {
    /// Never `decision_22` (those are in `loans`); every other programme is listed, zeros
    /// included; loans of `other` programmes are counted together whatever their name.
    pub programme: LoanProgramme,
    /// Loans with a disbursement dated in the period.
    pub loans: i64,
    /// Distinct persons borrowing those loans (establishments are not persons).
    pub persons: i64,
    /// Principal disbursed in the period (VND).
    pub disbursed_vnd: i64,
}

/// Outreach events held in the period with one kind or one topic.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OutreachLine {
    /// The outreach kind (`OutreachKind`) or topic (`OutreachTopic`).
    pub code: String,
    /// Events held in the period.
    pub events: i64,
    /// Their total audience (people attending or reached).
    pub audience: i64,
    /// Items produced or distributed (leaflets, news items, articles, broadcasts…).
    pub quantity: i64,
}

/// Outreach held in the period, by kind and by topic; each list has every code, zeros
/// included, and each sums to `organisation.outreach_events`, `outreach_audience` and
/// `outreach_quantity`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OutreachBreakdown {
    pub by_kind: Vec<OutreachLine>,
    pub by_topic: Vec<OutreachLine>,
}

/// Legal-procedure help (activities of kind `legal_support`, every sub-kind) in the period.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct LegalSupportTotal {
    /// Activity records (deleted records excluded): the sum of `support.legal_support` counts.
    pub records: i64,
    /// Distinct persons helped, whatever the sub-kind (= `support.legal_help_persons`; not the
    /// sum of the sub-kinds, as one person may get several kinds of help).
    pub persons: i64,
}

/// Judicial-record certificate requests recorded by the justice office
/// (`POST /persons/{id}/judicial-record-requests`), for persons of the unit.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct JudicialRecordFigures {
    /// Requests dated (`requested_on`) in the period.
    pub requests: i64,
    /// Certificates issued in the period: outcome `issued`, dated by `issued_on` (the request
    /// day when no issue day was recorded).
    pub certificates_issued: i64,
    /// Distinct persons with a request dated in the period.
    pub persons: i64,
}

/// The persons one supervising organisation helped in the period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct OrganisationHelp {
    /// The `organisation` of supervision assignments.
    pub organisation: Organisation,
    /// Distinct persons supervised or given an activity (the union of the next two).
    pub persons: i64,
    /// Distinct persons with an assignment naming the organisation in force on a day of the
    /// period.
    pub supervised: i64,
    /// Distinct persons given an activity dated in the period by an account of the
    /// organisation: a supervisor account of one of its assignments, or a steering-committee
    /// member account naming it.
    pub given_support: i64,
}

/// The help of mass organisations and other supervising bodies.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct MassOrganisationHelp {
    /// Every organisation, zeros included.
    pub by_organisation: Vec<OrganisationHelp>,
    /// Distinct persons helped by the mass organisations proper (Fatherland Front, Women's,
    /// Youth, Veterans', Farmers' and Elderly associations): the line a commune's report
    /// states. Not the sum of the organisations: one person may be helped by several.
    pub persons_helped_by_mass_organisations: i64,
}

/// The mass organisations proper (Mặt trận Tổ quốc and the socio-political organisations).
pub const MASS_ORGANISATIONS: [Organisation; 6] = [
    Organisation::FatherlandFront,
    Organisation::WomensUnion,
    Organisation::YouthUnion,
    Organisation::Veterans,
    Organisation::Farmers,
    Organisation::Elderly,
];

/// The Vietnamese label of a loan programme.
pub fn programme_label(p: LoanProgramme) -> &'static str {
    match p {
        LoanProgramme::Decision_22 => "Quyết định 22/2023/QĐ-TTg",
        LoanProgramme::PoorHouseholds => "cho vay hộ nghèo",
        LoanProgramme::NearPoorHouseholds => "cho vay hộ cận nghèo",
        LoanProgramme::JobCreation => "cho vay giải quyết việc làm",
        LoanProgramme::CleanWaterSanitation => "cho vay nước sạch và vệ sinh môi trường",
        LoanProgramme::StudentLoans => "cho vay học sinh, sinh viên",
        LoanProgramme::Other => "chương trình khác",
    }
}

/// The Vietnamese label of an outreach topic.
pub fn topic_label(t: OutreachTopic) -> &'static str {
    match t {
        OutreachTopic::ReintegrationPolicy => "chính sách tái hòa nhập cộng đồng",
        OutreachTopic::Decision_22Loans => "vay vốn theo Quyết định 22",
        OutreachTopic::LawDissemination => "phổ biến, giáo dục pháp luật",
        OutreachTopic::CrimePrevention => "phòng, chống tội phạm",
        OutreachTopic::DrugPrevention => "phòng, chống ma túy",
        OutreachTopic::Other => "chủ đề khác",
    }
}

/// The Vietnamese name of a supervising organisation.
pub fn organisation_label(o: Organisation) -> &'static str {
    match o {
        Organisation::Police => "Công an",
        Organisation::CommuneCommittee => "UBND xã",
        Organisation::FatherlandFront => "Mặt trận Tổ quốc",
        Organisation::WomensUnion => "Hội Liên hiệp Phụ nữ",
        Organisation::YouthUnion => "Đoàn Thanh niên",
        Organisation::Veterans => "Hội Cựu chiến binh",
        Organisation::Farmers => "Hội Nông dân",
        Organisation::Elderly => "Hội Người cao tuổi",
        Organisation::Village => "thôn, tổ dân phố",
        Organisation::Family => "gia đình",
        Organisation::Business => "doanh nghiệp",
        Organisation::Other => "tổ chức khác",
    }
}

/// Fills every line with zeros (the catalogue of keys, see `Indicators::zero`).
pub fn zero_lines(ind: &mut Indicators) {
    use crate::domain::enums::OutreachKind;
    let line = |code: &str| OutreachLine { code: code.into(), events: 0, audience: 0, quantity: 0 };
    ind.other_programme_loans = LoanProgramme::ALL
        .iter()
        .filter(|p| **p != LoanProgramme::Decision_22)
        .map(|p| ProgrammeLoans { programme: *p, loans: 0, persons: 0, disbursed_vnd: 0 })
        .collect();
    ind.organisation.outreach = OutreachBreakdown {
        by_kind: OutreachKind::ALL.iter().map(|k| line(k.as_str())).collect(),
        by_topic: OutreachTopic::ALL.iter().map(|t| line(t.as_str())).collect(),
    };
    ind.organisation.mass_organisations = MassOrganisationHelp {
        by_organisation: Organisation::ALL
            .iter()
            .map(|o| OrganisationHelp { organisation: *o, persons: 0, supervised: 0, given_support: 0 })
            .collect(),
        persons_helped_by_mass_organisations: 0,
    };
}

/// The lines' rows of the flat indicator table (CSV, XLSX, HTML, targets), each in its
/// section after the section's other rows.
pub fn append_figures(ind: &Indicators, out: &mut Vec<Figure>) {
    use FigureValue::{Count as C, Vnd as V};
    let mut push = |section: &'static str, key: String, label: String, value: FigureValue| {
        out.push(Figure { key, label, section, value });
    };
    let s = &ind.support;
    for (k, l, v) in [
        ("legal_support_total.records", "Tổng lượt trợ giúp thủ tục pháp lý", s.legal_support_total.records),
        ("legal_support_total.persons", "Tổng số người được trợ giúp thủ tục pháp lý", s.legal_support_total.persons),
        ("judicial_record_requests.requests", "Yêu cầu cấp Phiếu lý lịch tư pháp", s.judicial_record_requests.requests),
        (
            "judicial_record_requests.certificates_issued",
            "Phiếu lý lịch tư pháp đã cấp",
            s.judicial_record_requests.certificates_issued,
        ),
        (
            "judicial_record_requests.persons",
            "Số người yêu cầu cấp Phiếu lý lịch tư pháp",
            s.judicial_record_requests.persons,
        ),
    ] {
        push("support", format!("support.{k}"), l.into(), C(v));
    }
    for p in &ind.other_programme_loans {
        let (code, l) = (p.programme.as_str(), programme_label(p.programme));
        let key = |k: &str| format!("other_programme_loans.{code}.{k}");
        push("loans", key("loans"), format!("NHCSXH {l} — khoản vay được giải ngân"), C(p.loans));
        push("loans", key("persons"), format!("NHCSXH {l} — số người được vay"), C(p.persons));
        push("loans", key("disbursed_vnd"), format!("NHCSXH {l} — số tiền giải ngân (đồng)"), V(p.disbursed_vnd));
    }
    let o = &ind.organisation;
    let lines =
        o.outreach.by_kind.iter().map(|x| ("by_kind", x, format!("hình thức {}", outreach_kind_label(&x.code))));
    let topics = o.outreach.by_topic.iter().map(|x| {
        let l = OutreachTopic::parse(&x.code).map_or("chủ đề khác", topic_label);
        ("by_topic", x, format!("chủ đề {l}"))
    });
    for (group, x, l) in lines.chain(topics) {
        let key = |k: &str| format!("organisation.outreach.{group}.{}.{k}", x.code);
        push("organisation", key("events"), format!("Tuyên truyền theo {l} — số cuộc"), C(x.events));
        push("organisation", key("audience"), format!("Tuyên truyền theo {l} — lượt người"), C(x.audience));
        push("organisation", key("quantity"), format!("Tuyên truyền theo {l} — số tin, bài, tờ rơi"), C(x.quantity));
    }
    let m = &o.mass_organisations;
    for h in &m.by_organisation {
        let (code, l) = (h.organisation.as_str(), organisation_label(h.organisation));
        let key = |k: &str| format!("organisation.mass_organisations.{code}.{k}");
        push("organisation", key("persons"), format!("{l} — số người được giúp đỡ"), C(h.persons));
        push("organisation", key("supervised"), format!("{l} — số người được giám sát, giáo dục"), C(h.supervised));
        push("organisation", key("given_support"), format!("{l} — số người được hỗ trợ"), C(h.given_support));
    }
    push(
        "organisation",
        "organisation.mass_organisations.persons_helped_by_mass_organisations".into(),
        "Số người được Mặt trận, các đoàn thể giúp đỡ".into(),
        C(m.persons_helped_by_mass_organisations),
    );
}
