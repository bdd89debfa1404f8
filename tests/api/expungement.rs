//! Criminal records (issue 21): expunged records stay expunged, juveniles (Art. 107),
//! parolees and conviction corrections, and the justice office's PUT checked against the law.

use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

/// A release notice for a new person born on `born`; returns the person id.
async fn person(app: &TestApp, token: &str, name: &str, born: &str) -> String {
    let person = json!({"full_name": name, "gender": "male", "date_of_birth": born, "unit": "00070"});
    notify(app, token, &notice_body(person, 30, 1)).await
}

async fn add(app: &TestApp, token: &str, id: &str, conviction: &Value) -> Value {
    let resp = app.post(&format!("/api/v1/persons/{id}/convictions"), token, conviction).await;
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    json(resp).await
}

fn judgment(number: &str, judged: &str, months: Option<i32>) -> Value {
    let principal = match months {
        Some(m) => json!({"kind": "imprisonment", "months": m}),
        None => json!({"kind": "fine"}),
    };
    json!({"judgment_number": number, "court": "TAND huyện Gia Lâm", "judgment_date": judged,
           "offence_articles": ["173"], "offence_group": "theft", "chapter": 16, "principal": principal})
}

fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

async fn an_expunged_record_stays_expunged(app: TestApp) {
    let (_, police) = app.account("ca.xat1", &["police"], "00070").await;
    let (_, justice) = app.account("tp.xat1", &["justice"], "01").await;
    let id = person(&app, &police, "Trần Văn Cũ", "1980-03-02").await;
    // 2003: 84 months, released 2010-04-01 → expunged by law on 2013-04-01 (Art. 70(2)(c)).
    let old = with(
        judgment("12/2003/HS-ST", "2003-09-01", Some(84)),
        json!({"offence_date": "2003-02-01", "crime_category": "very_serious", "culpability": "intentional",
               "release_date": "2010-04-01", "release_type": "completed_sentence"}),
    );
    add(&app, &police, &id, &old).await;
    // A fine for a crime committed in 2015, paid 2015-06-01: a first offender again.
    let new = with(
        judgment("05/2015/HS-ST", "2015-03-01", None),
        json!({"offence_date": "2015-01-10", "crime_category": "less_serious", "culpability": "intentional",
               "sentence_completed_on": "2015-06-01"}),
    );
    add(&app, &police, &id, &new).await;

    let f = json(app.get(&format!("/api/v1/persons/{id}/expungement"), &justice).await).await;
    assert_eq!(f["track"], "automatic");
    assert_eq!(f["waiting_period_months"], 12, "{f}");
    assert_eq!(f["counted_from"], "2015-06-01");
    assert_eq!(f["earliest_date"], "2016-06-01");
    assert_eq!(f["eligible_today"], true, "{f}");
    assert_eq!(f["convictions"][0]["judgment_number"], "12/2003/HS-ST");
    assert_eq!(f["convictions"][0]["expunged_on"], "2013-04-01");
    assert_eq!(f["convictions"][0]["expunged_on_source"], "computed");
    assert_eq!(f["convictions"][0]["in_current_record"], false);
    assert_eq!(f["convictions"][1]["in_current_record"], true);
    // The conviction list shows each conviction's own date.
    let list = json(app.get(&format!("/api/v1/persons/{id}/convictions"), &police).await).await;
    assert_eq!(list[0]["expunged_on"], "2013-04-01");
    assert_eq!(list[0]["record"], "record");
    assert_eq!(list[1]["expunged_on"], "2016-06-01");

    // A crime committed the day before 2013-04-01 restarts the old record instead.
    let id2 = person(&app, &police, "Trần Văn Mới", "1980-03-02").await;
    add(&app, &police, &id2, &old).await;
    add(&app, &police, &id2, &with(new, json!({"offence_date": "2013-03-31"}))).await;
    let f = json(app.get(&format!("/api/v1/persons/{id2}/expungement"), &justice).await).await;
    assert_eq!(f["waiting_period_months"], 36, "{f}");
    assert_eq!(f["earliest_date"], "2018-06-01");
    // Both expunged together, by law, on the new record's date.
    assert_eq!(f["convictions"][0]["expunged_on"], "2018-06-01");
    assert_eq!(f["convictions"][0]["in_current_record"], true);
}

async fn juveniles_and_missing_facts(app: TestApp) {
    let (_, police) = app.account("ca.xat2", &["police"], "00070").await;
    let (_, justice) = app.account("tp.xat2", &["justice"], "01").await;
    // Born 2004-06-10: 16 on 2020-06-10, 18 on 2022-06-10.
    let id = person(&app, &police, "Lê Văn Trẻ", "2004-06-10").await;
    let base = with(
        judgment("21/2021/HS-ST", "2021-06-01", Some(24)),
        json!({"offence_date": "2021-01-15", "crime_category": "very_serious", "culpability": "intentional",
               "release_date": "2023-01-15", "release_type": "completed_sentence"}),
    );
    add(&app, &police, &id, &base).await;
    let f = json(app.get(&format!("/api/v1/persons/{id}/expungement"), &justice).await).await;
    // Art. 107(2)(b): 1 year, not the adult 2.
    assert_eq!(f["track"], "automatic");
    assert_eq!(f["waiting_period_months"], 12, "{f}");
    assert_eq!(f["earliest_date"], "2024-01-15");
    assert_eq!(f["convictions"][0]["article"], "Art. 107(2)");

    // A serious crime at 16-18 leaves no record (Art. 107(1)(b)).
    let id = person(&app, &police, "Lê Văn Nhỏ", "2004-06-10").await;
    add(&app, &police, &id, &with(base.clone(), json!({"crime_category": "serious"}))).await;
    let f = json(app.get(&format!("/api/v1/persons/{id}/expungement"), &justice).await).await;
    assert_eq!(f["track"], "no_record", "{f}");
    assert_eq!(f["waiting_period_years"], 0);
    assert_eq!(f["eligible_today"], true);
    assert_eq!(f["earliest_date"], Value::Null);
    assert!(f["note"].as_str().unwrap().contains("Art. 107(1)(b)"), "{f}");

    // Without the offence date, a judgment after the 18th birthday settles nothing.
    let id = person(&app, &police, "Lê Văn Thiếu", "2004-06-10").await;
    let mut missing = with(base.clone(), json!({"judgment_date": "2022-07-01"}));
    missing.as_object_mut().unwrap().remove("offence_date");
    missing.as_object_mut().unwrap().remove("culpability");
    add(&app, &police, &id, &missing).await;
    let f = json(app.get(&format!("/api/v1/persons/{id}/expungement"), &justice).await).await;
    let codes: Vec<&str> = f["blocking"].as_array().unwrap().iter().map(|b| b["code"].as_str().unwrap()).collect();
    assert_eq!(codes, vec!["offence_date_missing", "culpability_missing"], "{f}");
    assert_eq!(f["eligible_today"], false);
    assert_eq!(f["convictions"][0]["record"], "undetermined");

    // The offence date may not follow the judgment.
    let bad = with(base, json!({"offence_date": "2021-06-02"}));
    let body = assert_problem(
        app.post(&format!("/api/v1/persons/{id}/convictions"), &police, &bad).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["invalid_params"][0]["name"], "offence_date");
}

async fn parolee_certificate_and_corrections(app: TestApp) {
    let (_, police) = app.account("ca.xat3", &["police"], "00070").await;
    let (_, justice) = app.account("tp.xat3", &["justice"], "01").await;
    let id = person(&app, &police, "Phạm Văn Tha", "1980-03-02").await;
    let probation_end = days_ago(100);
    let parole = with(
        judgment("33/2020/HS-ST", &days_ago(1500), Some(48)),
        json!({"offence_date": days_ago(1600), "crime_category": "serious", "culpability": "intentional",
               "release_date": days_ago(500), "release_type": "conditional_early_release", "probation_end": probation_end}),
    );
    let c = add(&app, &police, &id, &parole).await;
    let cid = c["id"].as_str().unwrap().to_string();
    // Art. 66: the sentence is served at the end of probation.
    assert_eq!(c["sentence_completed_on"], probation_end.as_str());
    let f = json(app.get(&format!("/api/v1/persons/{id}/expungement"), &justice).await).await;
    assert_eq!(f["counted_from"], probation_end.as_str(), "{f}");

    // The completion certificate dated at the end of probation (400 days after release).
    let patch = json!({"reason": "Giấy chứng nhận chấp hành xong án phạt tù nhận ngày hôm nay",
                       "certificate_number": "77/GCN", "certificate_date": probation_end});
    let path = format!("/api/v1/persons/{id}/convictions/{cid}");
    assert_problem(
        app.request(Method::PATCH, &path, &police).json(&patch).send().await.unwrap(),
        428,
        "if_match_required",
    )
    .await;
    let stale =
        app.request(Method::PATCH, &path, &police).header("if-match", "\"v7\"").json(&patch).send().await.unwrap();
    assert_eq!(stale.status(), 412);
    let no_reason = app
        .request(Method::PATCH, &path, &police)
        .header("if-match", "\"v1\"")
        .json(&json!({"certificate_number": "77/GCN"}))
        .send()
        .await
        .unwrap();
    assert_eq!(no_reason.status(), 422);
    let resp =
        app.request(Method::PATCH, &path, &police).header("if-match", "\"v1\"").json(&patch).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    assert_eq!(resp.headers()["etag"], "\"v2\"");
    let c = json(resp).await;
    assert_eq!(c["version"], 2);
    assert_eq!(c["certificate_date"], probation_end.as_str());
    assert_eq!(c["certificate_number"], "77/GCN");
    assert_eq!(c["sentence_completed_on"], probation_end.as_str());
    // The old version is kept with the reason, and the change audited.
    let versions = json(app.get(&format!("{path}/versions"), &police).await).await;
    assert_eq!(versions.as_array().unwrap().len(), 1);
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(versions[0]["snapshot"]["certificate_number"], Value::Null);
    assert!(versions[0]["reason"].as_str().unwrap().contains("Giấy chứng nhận"));
    let trail = json(
        app.get(&format!("/api/v1/audit-events?entity_id={cid}&action=conviction.update"), &app.admin_token).await,
    )
    .await;
    assert_eq!(trail["total"], 1);
    assert_eq!(trail["items"][0]["after"]["version"], 2);
    assert_eq!(trail["items"][0]["after"]["conviction"]["certificate_number"], "77/GCN");
    // A certificate more than a year after the end of probation is still refused.
    let late = json!({"reason": "sai", "certificate_date": today().to_string()});
    let late_parole = with(parole, json!({"release_date": days_ago(900), "probation_end": days_ago(500)}));
    let c2 = add(&app, &police, &id, &late_parole).await;
    let path2 = format!("/api/v1/persons/{id}/convictions/{}", c2["id"].as_str().unwrap());
    let resp =
        app.request(Method::PATCH, &path2, &police).header("if-match", "\"v1\"").json(&late).send().await.unwrap();
    assert_eq!(assert_problem(resp, 422, "validation_failed").await["invalid_params"][0]["name"], "certificate_date");
}

async fn justice_put_respects_the_law(app: TestApp) {
    let (_, police) = app.account("ca.xat4", &["police"], "00070").await;
    let (_, justice) = app.account("tp.xat4", &["justice"], "01").await;
    let id = person(&app, &police, "Đỗ Văn Chờ", "1980-03-02").await;
    // 24 months, released 340 days ago: automatic 2 years; Art. 72 one third = 8 months.
    let release = today() - chrono::Duration::days(340);
    add(
        &app,
        &police,
        &id,
        &with(
            judgment("45/2019/HS-ST", &days_ago(340 + 24 * 30 + 30), Some(24)),
            json!({"offence_date": days_ago(340 + 24 * 30 + 90), "crime_category": "serious", "culpability": "intentional",
                   "release_date": release.to_string(), "release_type": "completed_sentence"}),
        ),
    )
    .await;
    receive(&app, &police, &id, &today().to_string()).await;
    let read = app.get(&format!("/api/v1/persons/{id}/expungement"), &justice).await;
    let etag = read.headers()["etag"].to_str().unwrap().to_string();
    let f = json(read).await;
    let earliest = f["earliest_date"].as_str().unwrap().to_string();
    let special = f["special_case_earliest_date"].as_str().unwrap().to_string();
    assert_eq!(special, release.checked_add_months(chrono::Months::new(8)).unwrap().to_string());
    let put = |body: Value| {
        app.request(Method::PUT, &format!("/api/v1/persons/{id}/expungement"), &justice)
            .header("if-match", &etag)
            .json(&body)
            .send()
    };
    // Automatic (the default) before the earliest date: 422 naming it.
    let body = assert_problem(
        put(json!({"status": "expunged", "decided_on": today().to_string()})).await.unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["invalid_params"][0]["name"], "decided_on");
    assert!(body["invalid_params"][0]["reason"].as_str().unwrap().contains(&earliest), "{body}");
    // A court decision needs its number, and not before the Art. 72 date.
    let body = assert_problem(
        put(json!({"status": "expunged", "decided_on": today().to_string(), "basis_kind": "court_decision"}))
            .await
            .unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["invalid_params"][0]["name"], "decision_number");
    let early = (release + chrono::Duration::days(100)).to_string();
    let body = assert_problem(put(json!({"status": "expunged", "decided_on": early, "basis_kind": "court_decision", "decision_number": "12/2025/QĐ-TA"})).await.unwrap(), 422, "validation_failed").await;
    assert!(body["invalid_params"][0]["reason"].as_str().unwrap().contains(&special), "{body}");
    // On the Art. 72 date the court may decide.
    let resp = put(json!({"status": "expunged", "decided_on": today().to_string(), "basis_kind": "court_decision",
                         "decision_number": "12/2025/QĐ-TA", "basis": "Điều 72 BLHS"}))
    .await
    .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let v = json(resp).await;
    assert_eq!(v["status"], "expunged");
    assert_eq!(v["basis_kind"], "court_decision");
    assert_eq!(v["decision_number"], "12/2025/QĐ-TA");
    assert_eq!(v["convictions"][0]["expunged_on"], today().to_string());
    assert_eq!(v["convictions"][0]["expunged_on_source"], "recorded");
    let trail =
        json(app.get(&format!("/api/v1/audit-events?entity_id={id}&action=person.expunge"), &app.admin_token).await)
            .await;
    assert_eq!(trail["total"], 1, "{trail}");
    let event = trail["items"][0].to_string();
    assert!(event.contains("court_decision") && event.contains("12/2025/QĐ-TA"), "{event}");
}

async fn court_track_and_refusals(app: TestApp) {
    let (_, police) = app.account("ca.xat5", &["police"], "00070").await;
    let (_, justice) = app.account("tp.xat5", &["justice"], "01").await;
    let id = person(&app, &police, "Vũ Văn An Ninh", "1970-03-02").await;
    // Chapter XIII, 36 months, released 2019-01-10: court track 3 years → 2022-01-10.
    add(
        &app,
        &police,
        &id,
        &with(
            judgment("02/2015/HS-ST", "2015-12-01", Some(36)),
            json!({"chapter": 13, "offence_group": "national_security", "offence_articles": ["117"], "offence_date": "2015-06-01",
                   "crime_category": "very_serious", "culpability": "intentional",
                   "release_date": "2019-01-10", "release_type": "completed_sentence"}),
        ),
    )
    .await;
    let read = app.get(&format!("/api/v1/persons/{id}/expungement"), &justice).await;
    let etag = read.headers()["etag"].to_str().unwrap().to_string();
    let f = json(read).await;
    assert_eq!(f["track"], "court_decision");
    assert_eq!(f["earliest_date"], "2022-01-10");
    // Automatic is refused on the court track.
    let resp = app
        .request(Method::PUT, &format!("/api/v1/persons/{id}/expungement"), &justice)
        .header("if-match", &etag)
        .json(&json!({"status": "expunged", "decided_on": today().to_string()}))
        .send()
        .await
        .unwrap();
    assert_eq!(assert_problem(resp, 422, "validation_failed").await["invalid_params"][0]["name"], "basis_kind");
    // A refusal 30 days ago: a new application only after a year (Art. 71(3)).
    let refused_on = today() - chrono::Duration::days(30);
    let resp = app
        .request(Method::PUT, &format!("/api/v1/persons/{id}/expungement"), &justice)
        .header("if-match", &etag)
        .json(&json!({"status": "rejected", "decided_on": refused_on.to_string(), "basis_kind": "court_decision", "decision_number": "7/2025/QĐ-TA"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let f = json(resp).await;
    assert_eq!(f["refusals"], 1);
    assert_eq!(f["eligible_today"], false);
    assert_eq!(f["earliest_date"], refused_on.checked_add_months(chrono::Months::new(12)).unwrap().to_string());
}

dual!(
    an_expunged_record_stays_expunged,
    juveniles_and_missing_facts,
    parolee_certificate_and_corrections,
    justice_put_respects_the_law,
    court_track_and_refusals,
);
