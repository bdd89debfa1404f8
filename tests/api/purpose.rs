//! Purpose limitation (issue 20, findings 4 and 7): the bank reaches only the persons on an
//! eligibility list sent to it and its loan applicants; the labour office only the persons
//! under management and those it trains, refers or assists; status-history details and the
//! criminal fields of audit copies stay with the roles that read criminal records.

use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

fn this_month() -> String {
    thncd::services::loans::month_of(thncd::time::today_vn())
}

/// A person released after a completed sentence (with certificate), under management unless
/// `managed` is false (then only notified).
async fn person(app: &TestApp, police: &str, name: &str, managed: bool) -> String {
    let notice = ok(
        app.post(
            "/api/v1/release-notices",
            police,
            &json!({"person": {"full_name": name, "gender": "male", "unit": "00070"}, "facility": "Trại giam",
                    "notice_date": days_ago(430), "expected_release_date": days_ago(370)}),
        )
        .await,
        "notice",
    )
    .await;
    let id = notice["person_id"].as_str().unwrap().to_string();
    if !managed {
        return id;
    }
    let conviction = json!({"judgment_number": "12/2020/HS-ST", "court": "TAND", "judgment_date": days_ago(1200),
        "offence_articles": ["173"], "offence_group": "theft", "chapter": 16, "principal": {"kind": "imprisonment", "months": 24},
        "release_date": days_ago(365), "release_type": "completed_sentence", "certificate_number": "88/GCN", "certificate_date": days_ago(365)});
    ok(app.post(&format!("/api/v1/persons/{id}/convictions"), police, &conviction).await, "conviction").await;
    receive(app, police, &id, &days_ago(360)).await;
    start_management(app, police, &id, &days_ago(359), "HS").await;
    id
}

/// A list of this month for `persons`, certified by the committee, and sent when `send`.
async fn list(app: &TestApp, police: &str, committee: &str, persons: &[&str], send: bool) -> String {
    let entries: Vec<Value> = persons
        .iter()
        .map(|p| json!({"person_id": p, "purpose": "production_business", "amount_wished_vnd": 50_000_000}))
        .collect();
    let l = ok(
        app.post(
            "/api/v1/loan-eligibility-lists",
            police,
            &json!({"unit": "00070", "month": this_month(), "entries": entries}),
        )
        .await,
        "list",
    )
    .await;
    let id = l["id"].as_str().unwrap().to_string();
    certify_list(app, &id, committee).await;
    if send {
        send_list(app, &id, police).await;
    }
    id
}

async fn status_of(app: &TestApp, path: &str, token: &str) -> u16 {
    app.get(path, token).await.status().as_u16()
}

/// The ids a token's `GET /persons` returns.
async fn listed(app: &TestApp, token: &str) -> Vec<String> {
    let page = ok(app.get("/api/v1/persons?page_size=100", token).await, "list persons").await;
    page["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
}

async fn the_bank_and_labour_reach_only_their_purpose(app: TestApp) {
    let (_, police) = app.account("ca.purpose", &["police"], "00070").await;
    let (_, committee) = app.account("ub.purpose", &["commune_committee"], "00070").await;
    let (_, bank) = app.account("nh.purpose", &["bank"], "01").await;
    let (_, bank_commune) = app.account("nh.purpose.xa", &["bank"], "00070").await;
    let (_, labour) = app.account("ld.purpose", &["labour"], "00070").await;

    let listed_p = person(&app, &police, "Người Trong Danh Sách", true).await;
    let unlisted = person(&app, &police, "Người Ngoài Danh Sách", true).await;
    let applicant = person(&app, &police, "Người Vay Vốn", true).await;
    let drafted = person(&app, &police, "Người Hồ Sơ Nháp", true).await;
    let expected = person(&app, &police, "Người Sắp Về", false).await;
    let trained = person(&app, &police, "Người Học Nghề Bỏ Đi", true).await;
    let gone = person(&app, &police, "Người Bỏ Đi", true).await;

    // The applicant is on a certified list that never went to the bank; the other on a sent one.
    list(&app, &police, &committee, &[&applicant, &drafted], false).await;
    for token in [&bank, &bank_commune] {
        assert_eq!(status_of(&app, &format!("/api/v1/persons/{listed_p}"), token).await, 404, "not yet sent");
    }
    list(&app, &police, &committee, &[&listed_p], true).await;
    let apply = |p: &str| {
        json!({"borrower_kind": "person", "person_id": p, "household_rep_name": "Nguyễn Thị Mẹ", "purpose": "production_business",
               "amount_vnd": 30_000_000, "term_months": 36, "entrusting_organisation": "womens_union", "application_date": days_ago(0)})
    };
    let loan = ok(app.post("/api/v1/loans", &police, &apply(&applicant)).await, "loan").await;
    ok(app.post("/api/v1/loans", &police, &apply(&drafted)).await, "draft loan").await;
    // A draft application has not reached the bank.
    assert_eq!(status_of(&app, &format!("/api/v1/persons/{applicant}"), &bank).await, 404);
    ok(
        app.post(&format!("/api/v1/loans/{}/submit", loan["id"].as_str().unwrap()), &police, &json!({})).await,
        "submit",
    )
    .await;

    // The labour office trains one person, who then absconds, as does another.
    ok(
        app.post(
            &format!("/api/v1/persons/{trained}/trainings"),
            &labour,
            &json!({"course": "Sửa xe máy", "level": "under_3_months", "start_date": days_ago(100)}),
        )
        .await,
        "training",
    )
    .await;
    for p in [&trained, &gone] {
        ok(
            app.post(&format!("/api/v1/persons/{p}/abscond"), &police, &json!({"occurred_on": days_ago(10)})).await,
            "abscond",
        )
        .await;
    }

    let all = [&listed_p, &unlisted, &applicant, &drafted, &expected, &trained, &gone];
    let bank_sees = [&listed_p, &applicant];
    let labour_sees = [&listed_p, &unlisted, &applicant, &drafted, &trained];
    for (who, token, sees) in [
        ("bank", &bank, &bank_sees[..]),
        ("commune bank", &bank_commune, &bank_sees[..]),
        ("labour", &labour, &labour_sees[..]),
    ] {
        for p in all {
            let want = if sees.contains(&p) { 200 } else { 404 };
            assert_eq!(status_of(&app, &format!("/api/v1/persons/{p}"), token).await, want, "{who} reads {p}");
        }
        let mut got = listed(&app, token).await;
        got.sort();
        let mut want: Vec<String> = sees.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "{who}'s list");
    }
    // Everyone else's records stay as unknown as a person that exists nowhere.
    assert_problem(
        app.get(&format!("/api/v1/persons/{unlisted}/loan-eligibility?purpose=production_business"), &bank).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(status_of(&app, &format!("/api/v1/persons/{gone}/status-history"), &labour).await, 404);
    assert_eq!(status_of(&app, &format!("/api/v1/persons/{trained}/trainings"), &labour).await, 200);
    // The standing agency still sees the whole unit.
    assert_eq!(listed(&app, &police).await.len(), all.len());
}

async fn status_history_details_stay_with_criminal_readers(app: TestApp) {
    let (_, police) = app.account("ca.details", &["police"], "00070").await;
    let (_, justice) = app.account("tp.details", &["justice"], "00070").await;
    let (_, labour) = app.account("ld.details", &["labour"], "00070").await;
    let (sup_id, supervisor) = app.account("gs.details", &["supervisor"], "00070").await;
    let id = person(&app, &police, "Người Tái Phạm", true).await;
    let judgment = "77/2025/HS-ST";
    let conviction = json!({"judgment_number": judgment, "court": "TAND", "judgment_date": days_ago(200),
        "offence_articles": ["173"], "offence_group": "theft", "chapter": 16, "principal": {"kind": "imprisonment", "months": 3},
        "new_offence": true});
    ok(app.post(&format!("/api/v1/persons/{id}/convictions"), &police, &conviction).await, "new conviction").await;
    // Served again and back: a new cycle, with a supervisor assigned.
    ok(
        app.post(
            "/api/v1/release-notices",
            &police,
            &json!({"person_id": id, "facility": "Trại giam", "notice_date": days_ago(150), "expected_release_date": days_ago(110)}),
        )
        .await,
        "second notice",
    )
    .await;
    receive(&app, &police, &id, &days_ago(100)).await;
    start_management(&app, &police, &id, &days_ago(99), "HS-2").await;
    ok(
        app.post(
            &format!("/api/v1/persons/{id}/assignments"),
            &police,
            &json!({"supervisor_kind": "mass_organisation_member", "supervisor_name": "Chị A", "organisation": "womens_union",
                    "account_id": sup_id, "decision_number": "12/QĐ-UBND", "decision_date": days_ago(98), "from_date": days_ago(98)}),
        )
        .await,
        "assignment",
    )
    .await;
    let path = format!("/api/v1/persons/{id}/status-history");
    for (who, token, sees) in [
        ("police", &police, true),
        ("justice", &justice, true),
        ("labour", &labour, false),
        ("supervisor", &supervisor, false),
    ] {
        let resp = app.get(&path, token).await;
        let text = resp.text().await.unwrap();
        let history: Value = serde_json::from_str(&text).unwrap();
        let rows = history.as_array().unwrap_or_else(|| panic!("{who}: {text}"));
        let reoffended =
            rows.iter().find(|r| r["to_status"] == "reoffended").unwrap_or_else(|| panic!("{who}: {text}"));
        assert_eq!(rows.last().unwrap()["to_status"], "under_management", "{who}");
        if sees {
            assert_eq!(reoffended["details"]["judgment_number"], judgment, "{who}: {text}");
        } else {
            assert!(!text.contains(judgment), "{who} reads the judgment number: {text}");
            assert!(rows.iter().all(|r| r["details"].is_null()), "{who}: {text}");
        }
    }
}

fn strings_at(value: &Value, key: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == key {
                    out.push(v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
                }
                strings_at(v, key, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| strings_at(v, key, out)),
        _ => {}
    }
}

async fn only_a_national_auditor_reads_criminal_fields_in_audit_copies(app: TestApp) {
    let (_, police) = app.account("ca.auditcopy", &["police"], "00070").await;
    let (_, province_auditor) = app.account("kt.tinh", &["auditor"], "01").await;
    let (_, national_auditor) = app.account("kt.vn", &["auditor"], "VN").await;
    let id = person(&app, &police, "Người Có Bản Án", true).await;
    let judgment = "91/2025/HS-ST";
    let conviction = json!({"judgment_number": judgment, "court": "TAND", "judgment_date": days_ago(20),
        "offence_articles": ["249"], "offence_group": "drugs", "chapter": 20, "principal": {"kind": "imprisonment", "months": 3},
        "new_offence": true});
    ok(app.post(&format!("/api/v1/persons/{id}/convictions"), &police, &conviction).await, "conviction").await;

    let trail = |token: String| {
        let app = &app;
        let id = id.clone();
        async move {
            let mut items = Vec::new();
            for q in [format!("entity_id={id}"), "entity_type=conviction".to_string()] {
                let page = ok(app.get(&format!("/api/v1/audit-events?{q}&page_size=100"), &token).await, "audit").await;
                items.extend(page["items"].as_array().unwrap().iter().cloned());
            }
            Value::Array(items)
        }
    };
    let national = trail(national_auditor).await;
    let provincial = trail(province_auditor).await;
    let count = |v: &Value| v.as_array().unwrap().len();
    assert!(count(&provincial) >= 4, "the province sees its trail: {provincial}");
    assert_eq!(count(&provincial), count(&national), "the same events, only redacted");
    for (key, value) in [("offence_group", "drugs"), ("judgment_number", judgment)] {
        let (mut n, mut p) = (Vec::new(), Vec::new());
        strings_at(&national, key, &mut n);
        strings_at(&provincial, key, &mut p);
        assert!(n.iter().any(|s| s == value), "the national auditor reads {key}: {n:?}");
        assert!(!p.is_empty(), "{key} is present for the province");
        assert!(p.iter().all(|s| s == "[redacted]" || s == "null"), "the province reads {key}: {p:?}");
    }
    let text = provincial.to_string();
    assert!(!text.contains(judgment) && !text.contains("\"drugs\""), "{text}");
    // Non-criminal fields are kept.
    assert!(text.contains("Người Có Bản Án"));
}

dual!(
    the_bank_and_labour_reach_only_their_purpose,
    status_history_details_stay_with_criminal_readers,
    only_a_national_auditor_reads_criminal_fields_in_audit_copies
);
