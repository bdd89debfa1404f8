//! Decision 22/2023/QĐ-TTg and deadlines through HTTP: the 5-year window counts from the
//! prison sentence (Art. 3(1)(c)), vocational loans for courses of any length (Arts. 6(1),
//! 8(1)), the holiday calendar (Labour Code 2019 Art. 112) and the end of a period on a day
//! off (Civil Code Art. 148(5)). Fixed past dates, so the answers do not depend on today.

use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::receive;
use crate::helpers::*;

/// A person announced by a facility in December 2025; returns the person id.
async fn announced(app: &TestApp, police: &str, name: &str, notice_date: &str, release: &str) -> String {
    let r = app
        .post(
            "/api/v1/release-notices",
            police,
            &json!({"person": {"full_name": name, "gender": "male", "unit": "00070"}, "facility": "Trại giam Thanh Xuân",
                    "notice_date": notice_date, "expected_release_date": release}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    json(r).await["person_id"].as_str().unwrap().to_string()
}

async fn convict(app: &TestApp, police: &str, person: &str, body: Value) {
    let r = app.post(&format!("/api/v1/persons/{person}/convictions"), police, &body).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

async fn eligibility(app: &TestApp, token: &str, person: &str, query: &str) -> Value {
    let r = app.get(&format!("/api/v1/persons/{person}/loan-eligibility?{query}"), token).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    json(r).await
}

fn codes(e: &Value) -> Vec<String> {
    e["failures"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

fn prison(judgment: &str, months: i32, release: &str) -> Value {
    json!({"judgment_number": "31/2018/HS-ST", "court": "TAND quận Hoàn Kiếm", "judgment_date": judgment,
           "offence_articles": ["173"], "offence_group": "theft", "chapter": 16,
           "principal": {"kind": "imprisonment", "months": months},
           "release_date": release, "release_type": "completed_sentence",
           "certificate_number": "77/GCN", "certificate_date": release})
}

async fn five_years_from_the_prison_sentence(app: TestApp) {
    let (_, police) = app.account("ca.d22", &["police"], "00070").await;
    let id = announced(&app, &police, "Trần Văn Tù", "2021-04-01", "2021-06-14").await;
    // Prison to Mon 14/6/2021; then a suspended sentence served to 10/5/2024 and a fine paid in 2025.
    convict(&app, &police, &id, prison("2018-06-01", 36, "2021-06-14")).await;
    convict(
        &app,
        &police,
        &id,
        json!({"judgment_number": "12/2022/HS-ST", "court": "TAND quận Hoàn Kiếm", "judgment_date": "2022-05-10",
               "offence_articles": ["260"], "offence_group": "traffic", "chapter": 21,
               "principal": {"kind": "suspended"}, "sentence_completed_on": "2024-05-10"}),
    )
    .await;
    convict(
        &app,
        &police,
        &id,
        json!({"judgment_number": "3/2025/HS-ST", "court": "TAND quận Hoàn Kiếm", "judgment_date": "2025-01-15",
               "offence_articles": ["321"], "offence_group": "other", "chapter": 21,
               "principal": {"kind": "fine"}, "sentence_completed_on": "2025-02-01"}),
    )
    .await;
    // 14/6/2026 is a Sunday: the last day moves to Monday 15/6/2026 (Civil Code Art. 148(5)).
    let e = eligibility(&app, &police, &id, "purpose=production_business&as_of=2026-06-15").await;
    assert_eq!(e["counted_from"], "2021-06-14", "{e}");
    assert_eq!(e["deadline"], "2026-06-15", "{e}");
    assert!(!codes(&e).contains(&"too_long_since_completion".to_string()), "{e}");
    let e = eligibility(&app, &police, &id, "purpose=production_business&as_of=2026-06-16").await;
    assert!(codes(&e).contains(&"too_long_since_completion".to_string()), "{e}");
    assert_eq!(e["eligible"], false);
    // The person is still `expected` in the registry: no "under management" condition.
    assert!(!codes(&e).contains(&"not_under_management".to_string()), "{e}");
}

async fn vocational_loans_for_courses_of_any_length(app: TestApp) {
    let (_, police) = app.account("ca.d22v", &["police"], "00070").await;
    let id = announced(&app, &police, "Lê Văn Học", "2024-01-02", "2024-03-04").await;
    convict(&app, &police, &id, prison("2021-01-05", 36, "2024-03-04")).await;
    // (course months, cap, longest term): 4,000,000 VND a month; course + 2× course up to
    // 12 months, course + 1× course beyond (Decision 22/2023 Art. 8(1)(c)).
    for (course, cap, term) in [(12, 48_000_000, 36), (13, 52_000_000, 26), (24, 96_000_000, 48), (48, 192_000_000, 96)]
    {
        let e = eligibility(
            &app,
            &police,
            &id,
            &format!("purpose=vocational_training&course_months={course}&as_of=2025-09-01"),
        )
        .await;
        assert_eq!((e["max_amount_vnd"].as_i64(), e["max_term_months"].as_i64()), (Some(cap), Some(term)), "{e}");
        assert!(!codes(&e).iter().any(|c| c.starts_with("course")), "{e}");
    }
    // A university course of 6 years can be applied for.
    let r = app
        .post(
            "/api/v1/loans",
            &police,
            &json!({"borrower_kind": "person", "person_id": id, "household_rep_name": "Lê Thị Mẹ", "purpose": "vocational_training",
                    "course_name": "Bác sĩ đa khoa", "course_months": 72, "amount_vnd": 288_000_000, "term_months": 144,
                    "entrusting_organisation": "youth_union", "application_date": "2025-09-01"}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    assert_eq!(json(r).await["course_months"], 72);
}

async fn holidays_calendar_and_deadlines(app: TestApp) {
    let (_, police) = app.account("ca.d22h", &["police"], "00070").await;
    // The shipped table: Tết Bính Ngọ 2026 as announced (14–22 February off).
    let days = json(app.get("/api/v1/holidays?year=2026", &police).await).await;
    let tet = days.as_array().unwrap().iter().find(|d| d["date"] == "2026-02-17").cloned().unwrap_or_default();
    assert_eq!(
        (tet["kind"].as_str(), tet["basis"].as_str(), tet["source"].as_str()),
        (Some("holiday"), Some("announced"), Some("shipped")),
        "{days}"
    );
    assert_eq!(days.as_array().unwrap().iter().filter(|d| d["kind"] == "holiday").count(), 11);
    assert_problem(app.get("/api/v1/holidays?year=1999", &police).await, 422, "validation_failed").await;

    // Three working days from Thu 12/2/2026: Fri 13, (Tết) Mon 23, Tue 24.
    let r = app
        .post(
            "/api/v1/release-notices",
            &police,
            &json!({"person": {"full_name": "Phạm Văn Tết", "gender": "male", "unit": "00070"}, "facility": "Trại giam",
                    "notice_date": "2026-02-12", "expected_release_date": "2026-04-10"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(json(r).await["verification_due_on"], "2026-02-24");

    // Only admins add days; the addition is audited and used at once.
    let added =
        json!({"date": "2026-11-20", "kind": "holiday", "name": "Ngày nghỉ thử nghiệm", "basis": "Thông báo thử"});
    assert_eq!(app.post("/api/v1/holidays", &police, &added).await.status(), 403);
    let r = app.post("/api/v1/holidays", &app.admin_token, &added).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    assert_eq!(json(r).await["source"], "added");
    assert_problem(app.post("/api/v1/holidays", &app.admin_token, &added).await, 409, "holiday_exists").await;
    assert_problem(
        app.post(
            "/api/v1/holidays",
            &app.admin_token,
            &json!({"date": "2026-02-17", "kind": "holiday", "name": "Tết"}),
        )
        .await,
        409,
        "holiday_exists",
    )
    .await;
    assert_problem(
        app.post("/api/v1/holidays", &app.admin_token, &json!({"date": "2026-11-21", "kind": "feast", "name": "x"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    let trail = json(app.get("/api/v1/audit-events?action=holiday.create", &app.admin_token).await).await;
    assert_eq!(trail["total"], 1, "{trail}");
    let days = json(app.get("/api/v1/holidays?year=2026", &police).await).await;
    assert!(days.as_array().unwrap().iter().any(|d| d["date"] == "2026-11-20" && d["source"] == "added"), "{days}");
    // Thu 19/11/2026 + 3 working days: (Fri 20 now off) Mon 23, Tue 24, Wed 25.
    let r = app
        .post(
            "/api/v1/release-notices",
            &police,
            &json!({"person": {"full_name": "Phạm Văn Nghỉ", "gender": "male", "unit": "00070"}, "facility": "Trại giam",
                    "notice_date": "2026-11-19", "expected_release_date": "2027-01-19"}),
        )
        .await;
    assert_eq!(json(r).await["verification_due_on"], "2026-11-25");
}

async fn parolee_reporting_period_ends_on_a_working_day(app: TestApp) {
    let (_, police) = app.account("ca.d22p", &["police"], "00070").await;
    // Released on parole Mon 9/2/2026: the 5 days end Sat 14/2, in the Tết break, so on Mon 23/2.
    for (name, received, late) in [("Đỗ Văn Đúng", "2026-02-23", false), ("Đỗ Văn Muộn", "2026-02-24", true)]
    {
        let id = announced(&app, &police, name, "2025-12-10", "2026-02-09").await;
        convict(
            &app,
            &police,
            &id,
            json!({"judgment_number": "8/2023/HS-ST", "court": "TAND quận Hoàn Kiếm", "judgment_date": "2023-03-01",
                   "offence_articles": ["173"], "offence_group": "theft", "chapter": 16,
                   "principal": {"kind": "imprisonment", "months": 48},
                   "release_date": "2026-02-09", "release_type": "conditional_early_release", "probation_end": "2027-03-01"}),
        )
        .await;
        assert_eq!(receive(&app, &police, &id, received).await["late_reception"], late, "{name}");
    }
}

dual!(
    five_years_from_the_prison_sentence,
    vocational_loans_for_courses_of_any_length,
    holidays_calendar_and_deadlines,
    parolee_reporting_period_ends_on_a_working_day
);
