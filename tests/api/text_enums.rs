//! `text_enum!` types as diesel `Text` values on both backends: every value goes in and
//! comes back as itself, as a bound value, a row struct's field and a table's column, and a
//! value the enum does not know is a deserialization error, not a default.

use diesel::prelude::*;
use diesel::sql_types::Text;

use thncd::db::schema::report_targets as rt;
use thncd::domain::enums::{PersonStatus, TargetMeasure};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

#[derive(QueryableByName)]
struct StatusRow {
    #[diesel(sql_type = Text)]
    status: PersonStatus,
}

async fn text_enums_round_trip_and_reject_unknown_values(app: TestApp) {
    let mut conn = app.conn();
    for &status in PersonStatus::ALL {
        let back: PersonStatus = diesel::select(status.into_sql::<Text>()).get_result(&mut *conn).unwrap();
        assert_eq!(back, status);
    }

    // As a column written and read through the DSL.
    let now = chrono::Utc::now().naive_utc();
    for (i, &measure) in TargetMeasure::ALL.iter().enumerate() {
        diesel::insert_into(rt::table)
            .values((
                rt::id.eq(format!("enum-test-{i}")),
                rt::unit_code.eq("VN"),
                rt::province_code.eq("VN"),
                rt::year.eq(2025),
                rt::indicator.eq(format!("test.{i}")),
                rt::measure.eq(measure),
                rt::created_at.eq(now),
                rt::updated_at.eq(now),
                rt::version.eq(1),
            ))
            .execute(&mut *conn)
            .unwrap();
        let back: TargetMeasure =
            rt::table.filter(rt::measure.eq(measure)).select(rt::measure).first(&mut *conn).unwrap();
        assert_eq!(back, measure);
    }

    // A value the enum does not know: loud, whether bound, selected or in a row struct.
    let unknown = diesel::select("under_managment".into_sql::<Text>()).get_result::<PersonStatus>(&mut *conn);
    match unknown {
        Err(diesel::result::Error::DeserializationError(e)) => {
            // The error names the enum and the value (inside diesel's field error).
            let text = format!("{e:?}");
            assert!(text.contains("PersonStatus") && text.contains("under_managment"), "{text}");
        }
        other => panic!("an unknown value must not deserialize: {:?}", other.map(|s| s.as_str())),
    }
    let known = diesel::sql_query("SELECT 'received' AS status").load::<StatusRow>(&mut *conn).unwrap();
    assert_eq!(known[0].status, PersonStatus::Received);
    let row = diesel::sql_query("SELECT 'paroled' AS status").load::<StatusRow>(&mut *conn);
    assert!(matches!(row, Err(diesel::result::Error::DeserializationError(_))), "{:?}", row.map(|r| r.len()));
    diesel::sql_query("UPDATE report_targets SET measure = 'percent' WHERE id = 'enum-test-0'")
        .execute(&mut *conn)
        .unwrap();
    let stored = rt::table.filter(rt::id.eq("enum-test-0")).select(rt::measure).first::<TargetMeasure>(&mut *conn);
    assert!(matches!(stored, Err(diesel::result::Error::DeserializationError(_))), "{:?}", stored.map(|m| m.as_str()));
}

dual!(text_enums_round_trip_and_reject_unknown_values);

/// The API's answer when a stored value is not what its row expects: a 500 problem that
/// names nothing of the database, never a defaulted status or an empty list.
async fn assert_internal(app: &TestApp, path: &str, token: &str, hidden: &str) {
    let body = assert_problem(app.get(path, token).await, 500, "internal_error").await;
    assert!(!body.to_string().contains(hidden), "the problem must not show the stored value: {body}");
}

async fn unknown_stored_values_answer_500_not_a_default(app: TestApp) {
    let (_, police) = app.account("ca.hoankiem", &["police"], "00070").await;
    let p = post_ok(&app, "/api/v1/persons", &police, &person("Lê Văn Hỏng", "00070")).await;
    let id = p["id"].as_str().unwrap().to_string();
    assert_eq!(p["status"], "expected");

    // A status the enum does not know, written past the API: the person cannot be read or
    // listed as `expected` (the old fallback) or as anything else.
    diesel::sql_query(format!("UPDATE persons SET status = 'paroled' WHERE id = '{id}'"))
        .execute(&mut *app.conn())
        .unwrap();
    assert_internal(&app, &format!("/api/v1/persons/{id}"), &police, "paroled").await;
    assert_internal(&app, "/api/v1/persons", &police, "paroled").await;

    // JSON in a text column that is not what its row holds: no empty list in its place.
    let mid = launched_model(&app, &police, "00070").await;
    get_ok(&app, &format!("/api/v1/models/{mid}"), &police).await;
    diesel::sql_query(format!(
        "UPDATE reintegration_models SET business_lines = '{{\"not\": \"a list\"}}' WHERE id = '{mid}'"
    ))
    .execute(&mut *app.conn())
    .unwrap();
    assert_internal(&app, &format!("/api/v1/models/{mid}"), &police, "a list").await;

    // Put right, both read again.
    diesel::sql_query(format!("UPDATE persons SET status = 'expected' WHERE id = '{id}'"))
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(get_ok(&app, &format!("/api/v1/persons/{id}"), &police).await["status"], "expected");
}

dual!(unknown_stored_values_answer_500_not_a_default);
