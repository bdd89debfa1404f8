//! `text_enum!` types as diesel `Text` values on both backends: every value goes in and
//! comes back as itself, as a bound value, a row struct's field and a table's column, and a
//! value the enum does not know is a deserialization error, not a default.

use diesel::prelude::*;
use diesel::sql_types::Text;

use thncd::db::schema::report_targets as rt;
use thncd::domain::enums::{PersonStatus, TargetMeasure};

use crate::dual;
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
