//! Capacity under reports: the operations that compute figures over whole units (seconds
//! each on a national database) must not take every database connection, nor hold the
//! database's write lock while they compute, so that the other users' writes go on.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;

use crate::fixtures::{count, days_ago, figures_of, get_ok};
use crate::helpers::*;

/// Six national indicator requests at once, on a pool of four connections, all held up by
/// a lock on `persons`: at most two of them (`state::report_slots`) hold a connection, the
/// others wait without one. Meanwhile an account is created and logged in and the accounts
/// listed, and once the lock is gone every report answers.
///
/// PostgreSQL only: there a table lock can hold up a read, while SQLite's readers never wait
/// on anything (WAL). The bound itself is the same code for both backends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_leave_connections_for_writes() {
    // The worker, which reads persons too, is off: the lock's waiters are the reports.
    let Some(app) = TestApp::spawn_with(Backend::Postgres, |s| {
        s.pool_size = 4;
        s.worker.enabled = false;
    })
    .await
    else {
        return;
    };
    let (_, police) = app.account("ca.toan.quoc", &["police"], "VN").await;
    let path = format!("/api/v1/reports/indicators?unit=VN&from={}&to={}", days_ago(300), days_ago(0));
    assert_eq!(app.get(&path, &police).await.status(), 200, "the report runs unhindered");

    let mut holder = app.conn();
    diesel::sql_query("BEGIN").execute(&mut *holder).unwrap();
    diesel::sql_query("LOCK TABLE persons IN ACCESS EXCLUSIVE MODE").execute(&mut *holder).unwrap();
    let reports: Vec<_> = (0..6)
        .map(|_| {
            let request = app.request(Method::GET, &path, &police);
            tokio::spawn(async move { request.send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    // The reports that got a connection are now waiting for the lock.
    let waiting_sql = "SELECT COUNT(*) AS n FROM pg_locks WHERE NOT granted AND relation = 'persons'::regclass";
    let mut waiting = 0;
    let mut watcher = app.conn();
    for _ in 0..50 {
        waiting = count(&mut watcher, waiting_sql);
        if waiting > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(waiting > 0, "no report reached the lock");
    // Give the rest time to take a connection, had they been allowed one.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let waiting = count(&mut watcher, waiting_sql);
    assert_eq!(waiting, thncd::state::report_slots(4) as i64, "reports holding a connection");

    // Writes and look-ups find a connection at once: an account created and logged in, and
    // the list of accounts.
    let started = Instant::now();
    app.account("can.bo.moi", &["justice"], "01").await;
    assert_eq!(app.get("/api/v1/accounts", &app.admin_token).await.status(), 200);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(4), "the write waited {took:?} for a connection");

    diesel::sql_query("COMMIT").execute(&mut *holder).unwrap();
    for report in reports {
        assert_eq!(report.await.unwrap().unwrap(), 200, "every report answers once the lock is gone");
    }
    eprintln!("capacity: {waiting} of 6 reports held a connection; the write and the list took {took:?}");
}

/// Copies the person `seed` `n` times, with the history of their status, straight into the
/// database (new ids, no ID number).
fn copy_person(conn: &mut thncd::db::DbConnection, seed: &str, n: u32) {
    let copy_id = "printf('00000000-0000-7000-8000-%012d', c.i)";
    copy_rows(conn, "persons", "id", seed, n, &[("id", copy_id), ("id_number", "NULL")]);
    copy_rows(
        conn,
        "person_status_history",
        "person_id",
        seed,
        n,
        &[("id", "t.id || '-' || c.i"), ("person_id", copy_id)],
    );
}

/// Copies the rows of `table` whose `key` is `seed` `n` times (`c.i`, 1 to `n`), each column
/// as it is (`t.column`) or as its SQL expression in `set`.
fn copy_rows(conn: &mut thncd::db::DbConnection, table: &str, key: &str, seed: &str, n: u32, set: &[(&str, &str)]) {
    #[derive(diesel::QueryableByName)]
    struct Column {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let columns: Vec<String> = diesel::sql_query(format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"))
        .load::<Column>(conn)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    let values: Vec<String> = columns
        .iter()
        .map(|c| set.iter().find(|(name, _)| name == c).map_or_else(|| format!("t.{c}"), |(_, sql)| sql.to_string()))
        .collect();
    let sql = format!(
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {n}) \
         INSERT INTO {table} ({}) SELECT {} FROM c, {table} t WHERE t.{key} = '{seed}'",
        columns.join(", "),
        values.join(", ")
    );
    diesel::sql_query(sql).execute(conn).unwrap();
}

/// A report's figures are computed before its write transaction. On SQLite a write
/// transaction holds the database's one writer lock: while a national report's figures were
/// computed inside one (seconds on a national database), every other write in the country
/// waited behind it, or failed after the busy timeout.
///
/// Here another writer holds the lock, with five more managed persons written but not yet
/// committed, while a national report is asked for. The report freezes the figures of the
/// moment it was asked for, computed while it could not write, and is stored once the lock is
/// free; the live figures afterwards include the five. (Computed inside its write transaction,
/// the report would have waited for the lock first and counted them.) SQLite only: PostgreSQL
/// writers do not share one lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_computes_its_figures_before_taking_the_write_lock() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let (_, police) = app.account("ca.bao.cao", &["police"], "VN").await;
    let seed = json(app.post("/api/v1/persons", &police, &crate::fixtures::person("Nguyễn Văn Mẫu", "00070")).await)
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    crate::fixtures::receive(&app, &police, &seed, days_ago(0)).await;
    crate::fixtures::start_management(&app, &police, &seed, days_ago(0), "HS-1").await;
    let (from, to) = (days_ago(170), days_ago(0));
    let live = format!("/api/v1/reports/indicators?unit=VN&from={from}&to={to}");
    let before = figures_of(&get_ok(&app, &live, &police).await);

    let mut writer = app.conn();
    diesel::sql_query("BEGIN IMMEDIATE").execute(&mut *writer).unwrap();
    copy_person(&mut writer, &seed, 5);
    let new = json!({"unit": "VN", "period_kind": "semiannual", "period_from": from, "period_to": to});
    let request = app.request(Method::POST, "/api/v1/reports", &police).json(&new);
    let report = tokio::spawn(async move { request.send().await.unwrap() });
    // Far longer than a few persons' figures take; the report then waits for the lock.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!report.is_finished(), "the report is stored only once the lock is free");
    diesel::sql_query("COMMIT").execute(&mut *writer).unwrap();
    drop(writer);

    let report = report.await.unwrap();
    assert_eq!(report.status(), 201);
    let frozen = figures_of(&json(report).await["figures"]);
    let after = figures_of(&get_ok(&app, &live, &police).await);
    assert_ne!(after, before, "the five committed persons count in the live figures");
    assert_eq!(frozen["managed"]["at_end"], before["managed"]["at_end"], "the report counted the uncommitted five");
    assert_eq!(frozen, before, "the report froze the figures of the moment it was asked for");
}
