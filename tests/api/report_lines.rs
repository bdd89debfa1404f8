//! Report lines of issue 24 (points 5–8), each entered through the API and checked against
//! figures counted by hand: outreach by kind and topic, legal-procedure help as one line,
//! the justice office's judicial-record requests and the persons each supervising
//! organisation helped — in the indicators, a commune's report and its exports.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::days_ago;
use crate::helpers::*;

async fn created(resp: reqwest::Response) -> Value {
    let status = resp.status();
    let body = json(resp).await;
    assert!(status == 200 || status == 201, "{status}: {body}");
    body
}

/// A person received 200 days ago in commune 00070 (managed).
async fn person(app: &TestApp, police: &str, name: &str) -> String {
    let notice = json!({"person": {"full_name": name, "gender": "male", "unit": "00070"}, "facility": "Trại giam",
                        "notice_date": days_ago(280), "expected_release_date": days_ago(210)});
    let id = created(app.post("/api/v1/release-notices", police, &notice).await).await["person_id"]
        .as_str()
        .unwrap()
        .to_string();
    let reception = json!({"received_on": days_ago(200), "receiving_officer": "A", "commitment_signed": true});
    created(app.post(&format!("/api/v1/persons/{id}/reception"), police, &reception).await).await;
    id
}

/// `list[*][key] == code` → that entry.
fn by(list: &Value, key: &str) -> BTreeMap<String, Value> {
    list.as_array().unwrap().iter().map(|x| (x[key].as_str().unwrap().to_string(), x.clone())).collect()
}

async fn report_lines_in_indicators_and_reports(app: TestApp) {
    let (_, police) = app.account("ca.rl", &["police"], "00070").await;
    let (_, committee) = app.account("ub.rl", &["commune_committee"], "00070").await;
    let (_, justice) = app.account("tp.rl", &["justice"], "00070").await;
    let (sup, sup_token) = app.account("gs.rl", &["supervisor"], "00070").await;
    let a = person(&app, &police, "Nguyễn Văn An").await;
    let b = person(&app, &police, "Trần Văn Bảo").await;
    let c = person(&app, &police, "Lê Văn Cường").await;
    let (from, to) = (days_ago(30), days_ago(1));

    // 5. Outreach with topic codes; `topic` stays the title. One event before the period.
    let event = |kind: &str, topic: Option<&str>, audience: i64, quantity: i64, ago: i64| {
        let mut e = json!({"unit": "00070", "held_on": days_ago(ago), "kind": kind, "topic": "Hội nghị tuyên truyền",
                           "audience_count": audience, "quantity": quantity});
        if let Some(t) = topic {
            e["topic_code"] = json!(t);
        }
        e
    };
    let first = created(
        app.post("/api/v1/outreach-events", &police, &event("meeting", Some("reintegration_policy"), 50, 0, 5)).await,
    )
    .await;
    assert_eq!(first["topic_code"], "reintegration_policy");
    assert_eq!(first["topic"], "Hội nghị tuyên truyền");
    for e in [
        event("leaflet_distribution", Some("drug_prevention"), 0, 300, 6),
        event("meeting", Some("drug_prevention"), 30, 1, 7),
        event("broadcast_news", None, 0, 2, 8),
        event("meeting", Some("reintegration_policy"), 99, 0, 40),
    ] {
        created(app.post("/api/v1/outreach-events", &police, &e).await).await;
    }
    let r = app.post("/api/v1/outreach-events", &police, &event("meeting", Some("weather"), 1, 0, 5)).await;
    assert_eq!(r.status(), 422);

    // 6. Legal-procedure help: a gets three kinds, b one; `procedure_other` is a sub-kind.
    for (p, sub, ago) in [
        (&a, "national_id_card", 10),
        (&a, "procedure_other", 9),
        (&a, "residence_registration", 8),
        (&b, "procedure_other", 7),
        (&b, "civil_status", 45),
    ] {
        let act = json!({"kind": "legal_support", "legal_sub_kind": sub, "occurred_on": days_ago(ago)});
        created(app.post(&format!("/api/v1/persons/{p}/activities"), &police, &act).await).await;
    }

    // 7. Judicial-record requests at the justice office.
    for (p, requested, outcome, issued) in [
        (&a, 5, "issued", Some(2)),
        (&a, 3, "pending", None),
        (&b, 40, "issued", Some(4)),
        (&c, 6, "refused", None),
        (&c, 50, "issued", Some(45)),
    ] {
        let mut body = json!({"requested_on": days_ago(requested), "purpose": "Xin việc", "outcome": outcome});
        if let Some(i) = issued {
            body["issued_on"] = json!(days_ago(i));
            body["certificate_number"] = json!(format!("LLTP-{requested}"));
        }
        created(app.post(&format!("/api/v1/persons/{p}/judicial-record-requests"), &justice, &body).await).await;
    }

    // 8. Supervision: a by a Women's Union member who logs in (and logs a visit), b by the
    // Veterans and the Fatherland Front, c by the police; the Farmers' start after the period.
    let assign = |p: &str, kind: &str, org: &str, account: Option<&str>, primary: bool, ago: i64| {
        let mut body = json!({"supervisor_kind": kind, "supervisor_name": "Người giúp đỡ", "organisation": org,
                              "primary": primary, "from_date": days_ago(ago)});
        if let Some(acc) = account {
            body["account_id"] = json!(acc);
        }
        let request = app.request(Method::POST, &format!("/api/v1/persons/{p}/assignments"), &police).json(&body);
        async move { request.send().await.unwrap() }
    };
    created(assign(&a, "mass_organisation_member", "womens_union", Some(&sup), true, 20).await).await;
    created(assign(&b, "mass_organisation_member", "veterans", None, true, 60).await).await;
    created(assign(&b, "mass_organisation_member", "fatherland_front", None, false, 15).await).await;
    created(assign(&c, "police_officer", "police", None, true, 20).await).await;
    created(assign(&c, "mass_organisation_member", "farmers", None, false, 0).await).await;
    let visit = json!({"kind": "home_visit", "occurred_on": days_ago(3)});
    created(app.post(&format!("/api/v1/persons/{a}/activities"), &sup_token, &visit).await).await;

    let path = format!("/api/v1/reports/indicators?unit=00070&from={from}&to={to}");
    let ind = created(app.get(&path, &police).await).await;

    // 5: four events in the period (the one 40 days ago is out).
    let org = &ind["organisation"];
    assert_eq!(
        (org["outreach_events"].as_i64(), org["outreach_audience"].as_i64(), org["outreach_quantity"].as_i64()),
        (Some(4), Some(80), Some(303))
    );
    let kinds = by(&org["outreach"]["by_kind"], "code");
    assert_eq!(kinds.len(), 8);
    assert_eq!(kinds["meeting"], json!({"code": "meeting", "events": 2, "audience": 80, "quantity": 1}));
    assert_eq!(
        kinds["leaflet_distribution"],
        json!({"code": "leaflet_distribution", "events": 1, "audience": 0, "quantity": 300})
    );
    assert_eq!(kinds["broadcast_news"], json!({"code": "broadcast_news", "events": 1, "audience": 0, "quantity": 2}));
    assert_eq!(kinds["article"]["events"], 0);
    let topics = by(&org["outreach"]["by_topic"], "code");
    assert_eq!(topics.len(), 6);
    assert_eq!(
        topics["reintegration_policy"],
        json!({"code": "reintegration_policy", "events": 1, "audience": 50, "quantity": 0})
    );
    assert_eq!(
        topics["drug_prevention"],
        json!({"code": "drug_prevention", "events": 2, "audience": 30, "quantity": 301})
    );
    assert_eq!(topics["other"], json!({"code": "other", "events": 1, "audience": 0, "quantity": 2}));
    assert_eq!(topics["crime_prevention"]["events"], 0);

    // 6: four records for two persons (the civil-status help 45 days ago is out); the
    // sub-kinds' persons add up to 4, the line says 2.
    let support = &ind["support"];
    assert_eq!(support["legal_support_total"], json!({"records": 4, "persons": 2}));
    let subs = by(&support["legal_support"], "kind");
    assert_eq!(subs["procedure_other"], json!({"kind": "procedure_other", "count": 2, "persons": 2}));
    assert_eq!(subs["civil_status"]["count"], 0);

    // 7: requests dated in the period: a's two and c's refused one; certificates issued in
    // the period: a's and b's (requested before it); persons requesting: a and c.
    assert_eq!(support["judicial_record_requests"], json!({"requests": 3, "certificates_issued": 2, "persons": 2}));

    // 8: per organisation; the mass organisations helped a and b (b counted once).
    let mass = &org["mass_organisations"];
    let orgs = by(&mass["by_organisation"], "organisation");
    assert_eq!(orgs.len(), 12);
    assert_eq!(
        orgs["womens_union"],
        json!({"organisation": "womens_union", "persons": 1, "supervised": 1, "given_support": 1})
    );
    assert_eq!(
        orgs["veterans"],
        json!({"organisation": "veterans", "persons": 1, "supervised": 1, "given_support": 0})
    );
    assert_eq!(orgs["fatherland_front"]["persons"], 1);
    assert_eq!(orgs["police"]["supervised"], 1);
    assert_eq!(orgs["farmers"]["persons"], 0);
    assert_eq!(mass["persons_helped_by_mass_organisations"], 2);

    // A commune's report lists the lines; its exports carry the Vietnamese labels.
    let new = json!({"period_kind": "custom", "period_from": from, "period_to": to});
    let report = created(app.post("/api/v1/reports", &committee, &new).await).await;
    let figures = &report["figures"];
    assert_eq!(figures["organisation"]["mass_organisations"], *mass);
    assert_eq!(figures["support"]["judicial_record_requests"], support["judicial_record_requests"]);
    let id = report["id"].as_str().unwrap();
    let html = app.get(&format!("/api/v1/reports/{id}/export?format=html"), &committee).await;
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    for label in [
        "Số người được Mặt trận, các đoàn thể giúp đỡ",
        "Hội Liên hiệp Phụ nữ — số người được giúp đỡ",
        "Tuyên truyền theo chủ đề phòng, chống ma túy — số tin, bài, tờ rơi",
        "Tổng số người được trợ giúp thủ tục pháp lý",
        "Phiếu lý lịch tư pháp đã cấp",
        "Trợ giúp pháp lý — thủ tục khác",
    ] {
        assert!(html.contains(label), "{label} missing from the HTML report");
    }
    let csv = app.get(&format!("{path}&format=csv"), &police).await.text().await.unwrap();
    for line in [
        "support.judicial_record_requests.requests,support,Yêu cầu cấp Phiếu lý lịch tư pháp,3",
        "support.legal_support_total.persons,support,Tổng số người được trợ giúp thủ tục pháp lý,2",
        "organisation.mass_organisations.persons_helped_by_mass_organisations,organisation,\"Số người được Mặt trận, các đoàn thể giúp đỡ\",2",
        "organisation.outreach.by_kind.leaflet_distribution.quantity",
    ] {
        assert!(csv.contains(line), "{line} missing from the CSV");
    }
    let xlsx = app.get(&format!("{path}&format=xlsx"), &police).await;
    assert_eq!(xlsx.status(), 200);
}

dual!(report_lines_in_indicators_and_reports);
