//! `thncd backup --output <file>`: an online backup of the configured database.
//!
//! SQLite: `VACUUM INTO` copies one read transaction's snapshot into a new, compacted,
//! standalone database file while the service keeps serving (readers and writers are not
//! blocked in WAL mode). PostgreSQL: `pg_dump --format=custom` (also a consistent snapshot),
//! found on PATH or under `/usr/lib/postgresql/*/bin`; without it the command says what to run.
//! Either way the output file must not exist yet; it is created readable by its owner only,
//! since it holds personal data. See docs/operations.md for restoring.

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl, SqliteConnection};

use crate::config::redact_url;
use crate::db::{self, Backend};

/// What was written.
#[derive(Debug)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub method: &'static str,
}

/// Backs up the database at `database_url` into `output`, which must not exist.
pub fn backup(database_url: &str, output: &Path) -> Result<BackupReport, String> {
    let backend = Backend::from_url(database_url)?;
    log::info!("backing up {} into {}", redact_url(database_url), output.display());
    // Creating the file first refuses an existing one without a race and sets its mode;
    // both VACUUM INTO and pg_dump accept an empty file.
    create_new_private(output)?;
    let (result, method) = match backend {
        Backend::Sqlite => (sqlite_backup(database_url, output), "SQLite VACUUM INTO"),
        Backend::Postgres => (pg_dump(database_url, output), "pg_dump --format=custom"),
    };
    if let Err(e) = result {
        let _ = std::fs::remove_file(output);
        return Err(e);
    }
    let bytes = std::fs::metadata(output).map_err(|e| format!("cannot read {}: {e}", output.display()))?.len();
    Ok(BackupReport { path: output.to_path_buf(), bytes, method })
}

fn create_new_private(path: &Path) -> Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(format!("{} already exists; a backup never overwrites a file", path.display()))
        }
        Err(e) => Err(format!("cannot create {}: {e}", path.display())),
    }
}

/// A SQL string literal: single quotes doubled.
fn sql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn sqlite_backup(database_url: &str, output: &Path) -> Result<(), String> {
    let source = db::sqlite_path(database_url);
    if !source.starts_with("file:") && !Path::new(source).is_file() {
        return Err(format!("no SQLite database at {source}"));
    }
    let target = output.to_str().ok_or_else(|| format!("{} is not valid UTF-8", output.display()))?;
    let mut conn = SqliteConnection::establish(source).map_err(|e| format!("cannot open {source}: {e}"))?;
    // Wait for a writer's lock rather than fail; the copy itself is one read transaction.
    conn.batch_execute("PRAGMA busy_timeout = 10000;").map_err(|e| format!("cannot configure {source}: {e}"))?;
    diesel::sql_query(format!("VACUUM INTO {}", sql_literal(target)))
        .execute(&mut conn)
        .map_err(|e| format!("VACUUM INTO failed: {e}"))?;
    // The copy must open on its own and pass SQLite's own check.
    let mut copy = SqliteConnection::establish(target).map_err(|e| format!("cannot open the backup: {e}"))?;
    #[derive(diesel::QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        quick_check: String,
    }
    let rows: Vec<Check> =
        diesel::sql_query("PRAGMA quick_check").load(&mut copy).map_err(|e| format!("cannot check the backup: {e}"))?;
    match rows.first() {
        Some(row) if row.quick_check == "ok" && rows.len() == 1 => Ok(()),
        _ => Err(format!(
            "the backup failed SQLite's quick_check: {}",
            rows.iter().map(|r| r.quick_check.as_str()).collect::<Vec<_>>().join("; ")
        )),
    }
}

/// Finds a PostgreSQL client program on PATH, else the newest under /usr/lib/postgresql.
pub fn find_pg_program(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).map(|dir| dir.join(name)).find(|p| p.is_file()))
        .unwrap_or_default();
    on_path.or_else(|| {
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|entry| {
                let entry = entry.ok()?;
                let version: u32 = entry.file_name().to_str()?.parse().ok()?;
                let program = entry.path().join("bin").join(name);
                program.is_file().then_some((version, program))
            })
            .collect();
        versions.sort();
        versions.pop().map(|(_, program)| program)
    })
}

/// Splits the password out of a PostgreSQL URL, so it travels in PGPASSWORD rather than in
/// the child's command line (visible to every local user in the process list).
pub fn pg_url_without_password(database_url: &str) -> Result<(String, Option<String>), String> {
    let mut url = url::Url::parse(database_url).map_err(|e| format!("DATABASE_URL is not a valid URL: {e}"))?;
    let password = url.password().map(percent_decode);
    if password.is_some() {
        url.set_password(None).map_err(|()| "DATABASE_URL: cannot separate the password".to_string())?;
    }
    Ok((url.to_string(), password))
}

/// `%XX` escapes of a URL's userinfo, decoded (`+` stays a plus there).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn pg_dump(database_url: &str, output: &Path) -> Result<(), String> {
    let Some(program) = find_pg_program("pg_dump") else {
        return Err(format!(
            "pg_dump was not found on PATH nor under /usr/lib/postgresql/*/bin. Install the PostgreSQL \
             client tools (the server's major version or newer) and run: \
             pg_dump --format=custom --file {} \"$DATABASE_URL\"",
            output.display()
        ));
    };
    let (url, password) = pg_url_without_password(database_url)?;
    let mut command = std::process::Command::new(&program);
    command.arg("--format=custom").arg("--file").arg(output).arg("--dbname").arg(&url);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let result = command.output().map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if result.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} failed ({}): {}",
            program.display(),
            result.status,
            String::from_utf8_lossy(&result.stderr).trim()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_double_single_quotes() {
        assert_eq!(sql_literal("/tmp/o'brien.sqlite3"), "'/tmp/o''brien.sqlite3'");
        assert_eq!(sql_literal("x'); DROP TABLE persons; --"), "'x''); DROP TABLE persons; --'");
    }

    #[test]
    fn passwords_leave_the_url() {
        let (url, password) = pg_url_without_password("postgres://thncd:s%40cr%3Ft+1@db:5432/thncd").unwrap();
        assert_eq!(url, "postgres://thncd@db:5432/thncd");
        assert_eq!(password.as_deref(), Some("s@cr?t+1"));
        let (url, password) = pg_url_without_password("postgres://postgres@127.0.0.1/x").unwrap();
        assert_eq!(url, "postgres://postgres@127.0.0.1/x");
        assert_eq!(password, None);
    }

    #[test]
    fn a_backup_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let existing = dir.path().join("b.sqlite3");
        std::fs::write(&existing, b"keep").unwrap();
        let err = backup(&dir.path().join("missing.sqlite3").to_string_lossy(), &existing).unwrap_err();
        assert!(err.contains("already exists"), "{err}");
        assert_eq!(std::fs::read(&existing).unwrap(), b"keep");
    }

    #[test]
    fn a_missing_source_is_refused_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.sqlite3");
        let err = backup(&dir.path().join("missing.sqlite3").to_string_lossy(), &out).unwrap_err();
        assert!(err.contains("no SQLite database"), "{err}");
        assert!(!out.exists());
    }
}
