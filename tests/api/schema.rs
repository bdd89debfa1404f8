//! `src/db/schema.rs` against the migrated databases: every table and column it declares
//! exists with the same type and nullability, and the databases hold no table or column it
//! does not declare. Both backends are migrated from nothing, as every test database is.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::dual;
use crate::helpers::*;

const SCHEMA: &str = include_str!("../../src/db/schema.rs");

/// A column as declared: its diesel type (without `Nullable`) and whether it is nullable.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Declared {
    sql_type: String,
    nullable: bool,
}

/// Tables and columns of `schema.rs`, read from its `diesel::table!` blocks.
fn declared() -> BTreeMap<String, BTreeMap<String, Declared>> {
    let mut tables = BTreeMap::new();
    let mut lines = SCHEMA.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "diesel::table! {" {
            continue;
        }
        let header = lines.next().expect("a table name after `diesel::table! {`");
        let name = header.split_whitespace().next().expect("table name").to_string();
        let mut columns = BTreeMap::new();
        for line in lines.by_ref() {
            let line = line.trim();
            if line == "}" {
                break;
            }
            let (column, ty) = line.trim_end_matches(',').split_once(" -> ").expect("`column -> Type,`");
            let (sql_type, nullable) = match ty.strip_prefix("Nullable<").and_then(|t| t.strip_suffix('>')) {
                Some(inner) => (inner.to_string(), true),
                None => (ty.to_string(), false),
            };
            columns.insert(column.trim().to_string(), Declared { sql_type, nullable });
        }
        assert!(!columns.is_empty(), "table {name} declares no columns");
        tables.insert(name, columns);
    }
    assert!(tables.len() > 40, "schema.rs parsed into {} tables only", tables.len());
    tables
}

#[derive(QueryableByName)]
struct DbColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = BigInt)]
    nullable: i64,
}

/// The columns of the migrated database's own tables (diesel's migration table left out).
fn migrated(app: &TestApp) -> BTreeMap<String, BTreeMap<String, (String, bool)>> {
    let query = match app.backend {
        // A primary key column is NOT NULL in effect (diesel reads it as such) even where
        // SQLite's declaration leaves it nullable.
        Backend::Sqlite => {
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type,
                    CAST(CASE WHEN p.\"notnull\" = 0 AND p.pk = 0 THEN 1 ELSE 0 END AS BIGINT) AS nullable
             FROM sqlite_master m, pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
               AND m.name <> '__diesel_schema_migrations'"
        }
        Backend::Postgres => {
            "SELECT CAST(c.table_name AS TEXT) AS table_name, CAST(c.column_name AS TEXT) AS column_name,
                    CAST(c.data_type AS TEXT) AS data_type,
                    CAST(CASE WHEN c.is_nullable = 'YES' THEN 1 ELSE 0 END AS BIGINT) AS nullable
             FROM information_schema.columns c
             JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
               AND c.table_name <> '__diesel_schema_migrations'"
        }
    };
    let rows: Vec<DbColumn> = diesel::sql_query(query).load(&mut *app.conn()).expect("read the catalogue");
    let mut tables: BTreeMap<String, BTreeMap<String, (String, bool)>> = BTreeMap::new();
    for r in rows {
        tables.entry(r.table_name).or_default().insert(r.column_name, (r.data_type, r.nullable == 1));
    }
    tables
}

/// The database types a diesel type may be declared as on the backend.
fn accepted(backend: Backend, diesel_type: &str) -> &'static [&'static str] {
    match (backend, diesel_type) {
        (Backend::Sqlite, "Text") => &["TEXT"],
        (Backend::Sqlite, "Integer") => &["INTEGER"],
        (Backend::Sqlite, "BigInt") => &["BIGINT", "INTEGER"],
        (Backend::Sqlite, "Bool") => &["BOOLEAN"],
        (Backend::Sqlite, "Date") => &["DATE"],
        (Backend::Sqlite, "Timestamp") => &["TIMESTAMP"],
        (Backend::Postgres, "Text") => &["text"],
        (Backend::Postgres, "Integer") => &["integer"],
        (Backend::Postgres, "BigInt") => &["bigint"],
        (Backend::Postgres, "Bool") => &["boolean"],
        (Backend::Postgres, "Date") => &["date"],
        (Backend::Postgres, "Timestamp") => &["timestamp without time zone"],
        _ => &[],
    }
}

/// The person-search index is kept by the database itself (triggers and SQL written per
/// backend, docs/scaling.md) and never read through diesel's DSL, so schema.rs leaves it out:
/// SQLite's FTS5 table with its shadow tables and rowid map, PostgreSQL's folded-token column.
fn search_machinery(backend: Backend, table: &str, column: Option<&str>) -> bool {
    match (backend, column) {
        (Backend::Sqlite, None) => table.starts_with("person_fts") || table == "person_search",
        (Backend::Postgres, Some(c)) => table == "persons" && (c == "search_tokens" || c == "unit_search_tokens"),
        _ => false,
    }
}

async fn schema_matches_migrations(app: TestApp) {
    let declared = declared();
    let migrated = migrated(&app);
    let mut problems = Vec::new();
    for (table, columns) in &declared {
        let Some(actual) = migrated.get(table) else {
            problems.push(format!("table {table} is in schema.rs but not in the database"));
            continue;
        };
        for (column, d) in columns {
            match actual.get(column) {
                None => problems.push(format!("column {table}.{column} is in schema.rs but not in the database")),
                Some((db_type, nullable)) => {
                    if !accepted(app.backend, &d.sql_type).iter().any(|t| t.eq_ignore_ascii_case(db_type)) {
                        problems.push(format!(
                            "column {table}.{column}: schema.rs {} but the database {db_type}",
                            d.sql_type
                        ));
                    }
                    if *nullable != d.nullable {
                        problems.push(format!(
                            "column {table}.{column}: schema.rs {} but the database {}",
                            if d.nullable { "nullable" } else { "not null" },
                            if *nullable { "nullable" } else { "not null" }
                        ));
                    }
                }
            }
        }
    }
    for (table, columns) in &migrated {
        if search_machinery(app.backend, table, None) {
            continue;
        }
        let Some(decl) = declared.get(table) else {
            problems.push(format!("table {table} is in the database but not in schema.rs"));
            continue;
        };
        for column in
            columns.keys().filter(|c| !decl.contains_key(*c) && !search_machinery(app.backend, table, Some(c)))
        {
            problems.push(format!("column {table}.{column} is in the database but not in schema.rs"));
        }
    }
    assert!(problems.is_empty(), "{:?}: schema.rs and the migrations differ:\n{}", app.backend, problems.join("\n"));
}

dual!(schema_matches_migrations);
