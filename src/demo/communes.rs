//! The demo population's communes and provinces: steering committees, models, outreach,
//! propagandists, and the provincial detention facilities' own work.

use super::*;

/// Per commune that has managed persons: a steering committee, a model with participants,
/// outreach over five years and a propagandist, each with a plausible probability.
pub(super) fn communes_extras(
    conn: &mut DbConnection,
    rng: &mut StdRng,
    sql: &Sql,
    now: &str,
    today: NaiveDate,
    participants: &std::collections::BTreeMap<String, Vec<String>>,
    stats: &mut DemoStats,
) -> Result<(), String> {
    let provinces: std::collections::HashMap<String, String> = schema::admin_units::table
        .filter(schema::admin_units::level.eq("commune"))
        .select((schema::admin_units::code, schema::admin_units::province_code.assume_not_null()))
        .load::<(String, String)>(conn)
        .map_err(|e| e.to_string())?
        .into_iter()
        .collect();
    let (mut committees, mut models, mut members, mut outreach, mut propagandists) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let five_years = today - Days::new(1825);
    const MODEL_TYPES: &[&str] =
        &["self_management_group", "youth_volunteer_team", "employment_support", "joint_management"];
    const OUTREACH: &[(&str, i64, i64)] = &[
        ("meeting", 60, 1),
        ("broadcast_news", 0, 2),
        ("article", 0, 1),
        ("leaflet_distribution", 200, 300),
        ("loudspeaker", 0, 5),
    ];
    const OUTREACH_TOPICS: &[(&str, &str)] = &[
        ("reintegration_policy", "Chính sách tái hòa nhập cộng đồng"),
        ("decision_22_loans", "Vay vốn theo Quyết định 22/2023/QĐ-TTg"),
        ("law_dissemination", "Phổ biến pháp luật"),
        ("crime_prevention", "Phòng, chống tội phạm"),
        ("drug_prevention", "Phòng, chống ma túy"),
    ];
    for (unit, persons) in participants {
        let (u, p) = (q(unit), q(provinces.get(unit).map(String::as_str).unwrap_or("")));
        if rng.gen_bool(0.4) {
            committees.push(format!(
                "({}, {u}, {p}, 'Ban Chỉ đạo THNCĐ', 'Tổ giúp việc', 'QĐ-UBND', '{}', 'Chủ tịch UBND', 'active', NULL, NULL, '{now}', '{now}', 1)",
                q(&uid(rng)),
                day_in(rng, five_years, today)
            ));
        }
        if rng.gen_bool(0.25) {
            let model_id = uid(rng);
            let founded = day_in(rng, five_years, today);
            let kind = MODEL_TYPES[rng.gen_range(0..MODEL_TYPES.len())];
            models.push(format!(
                "({}, {u}, {p}, 'Tổ tự quản', 'to tu quan', '{kind}', 'fatherland_front', NULL, 'QĐ', '{founded}', NULL, '[]', 'active', '{}', '{now}', '{now}', 1)",
                q(&model_id),
                (founded + Days::new(60)).min(today)
            ));
            for person in persons {
                members.push(format!(
                    "({}, {}, {}, NULL, NULL, 'participant', '{}', NULL, '{now}')",
                    q(&uid(rng)),
                    q(&model_id),
                    q(person),
                    (founded + Days::new(60)).min(today)
                ));
            }
        }
        for _ in 0..rng.gen_range(0..=6) {
            let (kind, audience, quantity) = OUTREACH[rng.gen_range(0..OUTREACH.len())];
            let (topic_code, topic) = OUTREACH_TOPICS[rng.gen_range(0..OUTREACH_TOPICS.len())];
            outreach.push(format!(
                "({}, {u}, {p}, '{}', '{kind}', '{topic}', NULL, {audience}, {quantity}, NULL, '{now}', '{now}', 1, '{topic_code}')",
                q(&uid(rng)),
                day_in(rng, five_years, today)
            ));
        }
        if rng.gen_bool(0.5) {
            propagandists.push(format!(
                "({}, {u}, {p}, 'Tuyên truyền viên', 'youth_union', '{}', NULL, '{now}')",
                q(&uid(rng)),
                day_in(rng, five_years, today)
            ));
        }
    }
    let _ = sql;
    db::write_tx(conn, |conn| {
        stats.committees += insert(conn, "steering_committees", "id, unit_code, province_code, name, working_group_name, decision_number, decision_date, signer, status, dissolution_decision_number, dissolved_on, created_at, updated_at, version", &committees)?;
        stats.models += insert(conn, "reintegration_models", "id, unit_code, province_code, name, name_folded, model_type, sponsor_organisation, committee_id, founding_decision_number, founding_decision_date, description, business_lines, status, status_since, created_at, updated_at, version", &models)?;
        insert(conn, "model_participants", "id, model_id, person_id, member_id, helper_name, role, joined_on, left_on, created_at", &members)?;
        stats.outreach += insert(conn, "outreach_events", "id, unit_code, province_code, held_on, kind, topic, organiser, audience_count, quantity, model_id, created_at, updated_at, version, topic_code", &outreach)?;
        insert(conn, "propagandists", "id, unit_code, province_code, full_name, organisation, from_date, to_date, created_at", &propagandists)?;
        Ok::<_, diesel::result::Error>(())
    })
    .map_err(|e| format!("insert failed: {e}"))
}

/// Per province with managed persons: a provincial detention facility recording, month by
/// month over five years, its intakes and population, completion certificate requests,
/// pre-release education, and now and then a policy briefing, vocational training,
/// counselling and travel allowances.
pub(super) fn facility_extras(
    conn: &mut DbConnection,
    rng: &mut StdRng,
    now: &str,
    today: NaiveDate,
    participants: &std::collections::BTreeMap<String, Vec<String>>,
    stats: &mut DemoStats,
) -> Result<(), String> {
    let provinces: std::collections::BTreeSet<String> =
        participants.keys().filter_map(|unit| crate::db::admin_units::province_of(unit).map(str::to_string)).collect();
    const TOPICS: &[&str] = &["reintegration_policy", "decision_22_loans", "law_dissemination", "drug_prevention"];
    let mut rows = Vec::new();
    for province in &provinces {
        let (u, facility) = (q(province), q(&format!("Trại tạm giam Công an tỉnh {province}")));
        let mut population: i64 = rng.gen_range(300..900);
        for months_back in 0..60u32 {
            let Some(month) = today.checked_sub_months(chrono::Months::new(months_back)) else { continue };
            let day = |rng: &mut StdRng| {
                let first = month.with_day(1).unwrap_or(month);
                day_in(rng, first, (first + Days::new(27)).min(today))
            };
            let mut push = |rng: &mut StdRng,
                            kind: &str,
                            topic: Option<&str>,
                            persons: i64,
                            attendance: i64,
                            vnd: i64| {
                let on = day(rng);
                rows.push(format!(
                    "({}, '{kind}', '{on}', {u}, {u}, {facility}, {}, {persons}, NULL, {attendance}, {vnd}, NULL, 'demo', '{now}')",
                    q(&uid(rng)),
                    qo(topic)
                ));
            };
            let intake = rng.gen_range(5..40);
            population = (population + intake - rng.gen_range(5..40)).max(100);
            push(rng, "intake", None, intake, intake, 0);
            push(rng, "population", None, population, population, 0);
            let requests = rng.gen_range(2..20);
            push(rng, "completion_certificate_request", None, requests, requests, 0);
            let class = rng.gen_range(10..60);
            push(rng, "pre_release_education", None, class, class, 0);
            if rng.gen_bool(0.3) {
                let topic = TOPICS[rng.gen_range(0..TOPICS.len())];
                let audience = rng.gen_range(40..250);
                push(rng, "policy_briefing", Some(topic), 0, audience, 0);
            }
            if rng.gen_bool(0.2) {
                let trained = rng.gen_range(10..40);
                push(rng, "vocational_training", None, trained, trained, 0);
            }
            if rng.gen_bool(0.5) {
                let attendance = rng.gen_range(1..15);
                push(rng, "counselling", None, 1, attendance, 0);
            }
            if rng.gen_bool(0.4) {
                let paid = rng.gen_range(1..6);
                let vnd = paid * rng.gen_range(200..600) * 1000;
                push(rng, "travel_allowance", None, paid, paid, vnd);
            }
        }
    }
    db::write_tx(conn, |conn| {
        stats.facility_activities += insert(conn, "facility_activities", "id, kind, occurred_on, unit_code, province_code, facility, topic_code, persons, person_ids, attendance, amount_vnd, notes, created_by, created_at", &rows)?;
        Ok::<_, diesel::result::Error>(())
    })
    .map_err(|e| format!("insert failed: {e}"))
}
