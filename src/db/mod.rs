//! Database access: one diesel code base over SQLite (default) and PostgreSQL.
//!
//! The backend is chosen at run time from `DATABASE_URL`. Queries are written once against
//! [`DbConnection`]; only where SQL truly differs (upserts, `BEGIN IMMEDIATE`) do we match
//! on the variant.

/// Restricts a query to a jurisdiction, given the record's unit and province columns: the
/// one way records are scoped, so an out-of-unit row is never loaded.
macro_rules! in_unit {
    ($query:expr, $scope:expr, $unit:path, $province:path) => {
        match $scope {
            $crate::auth::Jurisdiction::National => $query,
            $crate::auth::Jurisdiction::Province(code) => $query.filter($province.eq(code.clone())),
            $crate::auth::Jurisdiction::Commune(code) => $query.filter($unit.eq(code.clone())),
        }
    };
}

/// One page of a filtered list and the number of rows in the whole list, as `(rows, total)`.
/// `$build` makes the (boxed) query afresh, once for the count and once for the page.
macro_rules! paged {
    ($conn:expr, $build:expr, $row:ty, $order:expr, $offset:expr, $limit:expr) => {{
        let total: i64 =
            ($build)().select(diesel::dsl::sql::<diesel::sql_types::BigInt>("COUNT(*)")).first(&mut *$conn)?;
        let rows: Vec<$row> =
            ($build)().select(<$row>::as_select()).order($order).offset($offset).limit($limit).load(&mut *$conn)?;
        (rows, total)
    }};
}

/// Writes `rows` in multi-row INSERTs of `chunk` rows. Multi-row INSERTs are
/// backend-specific in diesel (the default-value keyword differs), so each batch is written
/// on the concrete connection; `chunk` keeps a batch under SQLite's bound-parameter limit.
macro_rules! insert_batches {
    ($conn:expr, $table:expr, $rows:expr, $chunk:expr) => {
        for chunk in $rows.chunks($chunk) {
            match &mut *$conn {
                $crate::db::DbConnection::Postgresql(pg) => diesel::insert_into($table).values(chunk).execute(pg)?,
                $crate::db::DbConnection::Sqlite(lite) => diesel::insert_into($table).values(chunk).execute(lite)?,
            };
        }
    };
}

pub mod accounts;
pub mod admin_units;
pub mod areas;
pub mod audit;
pub mod clients;
pub mod committees;
pub mod convictions;
pub mod deadline;
pub mod events;
pub mod facility_activities;
pub mod holidays;
pub mod housekeeping;
pub mod idempotency;
pub mod indicators;
pub mod json_text;
pub mod labour;
pub mod loans;
pub mod models;
pub mod persons;
pub mod plans;
pub mod read_audit;
pub mod release_notices;
pub mod reports;
pub mod schema;
mod scoped;
pub mod supervision;
pub mod targets;
pub mod text_enums;
pub mod webhooks;
mod writer;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, ManageConnection, Pool, PooledConnection};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::{Duration, Instant};

use crate::error::{ApiError, ApiResult};

/// Writes one row of `table`.
pub fn insert<T, V>(conn: &mut DbConnection, table: T, row: V) -> ApiResult<()>
where
    T: diesel::Table,
    V: diesel::Insertable<T>,
    diesel::query_builder::InsertStatement<T, V::Values>: diesel::query_dsl::methods::ExecuteDsl<DbConnection>,
{
    diesel::insert_into(table).values(row).execute(conn)?;
    Ok(())
}

/// The one record a request names: none found (or none inside the caller's scope, which the
/// query filters on) is a 404.
pub trait OrNotFound<T> {
    fn or_not_found(self) -> ApiResult<T>;
}

impl<T> OrNotFound<T> for QueryResult<T> {
    fn or_not_found(self) -> ApiResult<T> {
        self.optional()?.ok_or(ApiError::NotFound)
    }
}

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<Manager>;
pub type PooledConn = PooledConnection<Manager>;

/// A connection used successfully this recently is handed out without a ping. r2d2's own
/// check-out test is a `SELECT 1` round trip before every request, which for a primary-key
/// read doubled the database's work; a connection idle longer is still pinged, and one
/// whose use ended in a lost-connection error is dropped on return.
const FRESH_FOR: Duration = Duration::from_secs(1);

/// A pooled connection and what the pool knows of its health.
pub struct Conn {
    conn: DbConnection,
    last_ok: Instant,
    lost: bool,
    /// SQLite: the queue of the pool's writers (see [`writer`]).
    writer: Option<std::sync::Arc<writer::WriterQueue>>,
}

impl std::ops::Deref for Conn {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

/// diesel's connection manager, with the ping skipped for fresh connections, and (SQLite)
/// the queue its connections' writers share.
pub struct Manager {
    diesel: ConnectionManager<DbConnection>,
    backend: Backend,
    url: String,
    writers: Option<std::sync::Arc<writer::WriterQueue>>,
}

impl ManageConnection for Manager {
    type Connection = Conn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Conn, Self::Error> {
        // PostgreSQL directly: MultiConnection's own establish hides libpq's reason (a TLS
        // certificate that does not verify, say) behind "Invalid connection url".
        let conn = if self.backend == Backend::Postgres {
            PgConnection::establish(&self.url)
                .map(DbConnection::Postgresql)
                .map_err(diesel::r2d2::Error::ConnectionError)?
        } else {
            self.diesel.connect()?
        };
        Ok(Conn { conn, last_ok: Instant::now(), lost: false, writer: self.writers.clone() })
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), Self::Error> {
        if conn.last_ok.elapsed() < FRESH_FOR {
            return Ok(());
        }
        self.diesel.is_valid(&mut conn.conn)?;
        conn.last_ok = Instant::now();
        Ok(())
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        if conn.lost || self.diesel.has_broken(&mut conn.conn) {
            return true;
        }
        conn.last_ok = Instant::now();
        false
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the backend from a URL's scheme. Anything not `postgres://`/`postgresql://` or
    /// `sqlite://`/a plain path is refused rather than guessed.
    pub fn from_url(url: &str) -> Result<Backend, String> {
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else if lower.starts_with("sqlite://") || lower.starts_with("file:") || !lower.contains("://") {
            Ok(Backend::Sqlite)
        } else {
            let scheme = url.split("://").next().unwrap_or_default();
            Err(format!("unsupported DATABASE_URL scheme `{scheme}://`: use postgres://… or a SQLite file path"))
        }
    }
}

/// Feeds the pool metrics: how long each checkout waited, and checkouts that timed out.
#[derive(Debug)]
struct PoolEvents;

impl diesel::r2d2::HandleEvent for PoolEvents {
    fn handle_checkout(&self, event: diesel::r2d2::event::CheckoutEvent) {
        metrics::histogram!("thncd_db_pool_wait_seconds").record(event.duration().as_secs_f64());
    }

    fn handle_timeout(&self, _event: diesel::r2d2::event::TimeoutEvent) {
        metrics::counter!("thncd_db_pool_timeouts_total").increment(1);
    }
}

/// SQLite needs per-connection settings; PostgreSQL gets a statement timeout so a stuck
/// query fails instead of holding a pool slot forever.
#[derive(Debug)]
struct ConnectionSetup;

impl CustomizeConnection<Conn, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut Conn) -> Result<(), diesel::r2d2::Error> {
        let conn = &mut conn.conn;
        let sql = match conn {
            DbConnection::Sqlite(c) => {
                // The person search index's triggers call it (migrations included).
                persons::register_sqlite_functions(c).map_err(diesel::r2d2::Error::QueryError)?;
                // No `mmap_size`: a memory map made one national search faster in the
                // `sqlite3` shell but every concurrent search slower through the service
                // (`nguyen` in a province 109–117/s mapped, 145/s not; ADR 0007).
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;"
            }
            DbConnection::Postgresql(_) => "SET statement_timeout = '30s'; SET TIME ZONE 'UTC';",
        };
        conn.batch_execute(sql).map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Strips the `sqlite://` prefix diesel's SQLite driver does not understand.
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}

pub fn build_pool(url: &str, max_size: u32) -> Result<DbPool, String> {
    let backend = Backend::from_url(url)?;
    let conn_url = match backend {
        Backend::Sqlite => {
            deadline::install();
            sqlite_path(url).to_string()
        }
        Backend::Postgres => url.to_string(),
    };
    let writers = (backend == Backend::Sqlite).then(std::sync::Arc::default);
    let manager = Manager { diesel: ConnectionManager::new(conn_url.clone()), backend, url: conn_url, writers };
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1.min(max_size)))
        .connection_timeout(Duration::from_secs(5))
        .connection_customizer(Box::new(ConnectionSetup))
        .event_handler(Box::new(PoolEvents))
        .build(manager)
        .map_err(|e| format!("cannot open the database: {e}"))
}

pub fn backend_of(conn: &DbConnection) -> Backend {
    match conn {
        DbConnection::Postgresql(_) => Backend::Postgres,
        DbConnection::Sqlite(_) => Backend::Sqlite,
    }
}

/// Runs pending migrations for the connection's backend, then seeds reference data.
pub fn migrate(conn: &mut DbConnection) -> Result<usize, String> {
    let applied = match conn {
        DbConnection::Postgresql(c) => {
            // A backfill over a national database outlasts the request timeout; the
            // connection's own timeout is restored afterwards.
            diesel::connection::SimpleConnection::batch_execute(c, "SET statement_timeout = 0")
                .map_err(|e| format!("migration set-up failed: {e}"))?;
            let applied = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len());
            diesel::connection::SimpleConnection::batch_execute(c, "SET statement_timeout = '30s'")
                .map_err(|e| format!("migration set-up failed: {e}"))?;
            applied
        }
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    }
    .map_err(|e| format!("migration failed: {e}"))?;
    admin_units::seed(conn).map_err(|e| format!("seeding administrative units failed: {e}"))?;
    Ok(applied)
}

/// A write transaction. On SQLite it starts with `BEGIN IMMEDIATE`, so it never fails to
/// upgrade a read lock, and it first waits for its turn in the pool's [`writer`] queue.
pub fn write_tx<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    E: From<diesel::result::Error>,
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
{
    if let DbConnection::Postgresql(_) = conn {
        return in_tx(conn, "BEGIN", f);
    }
    // Inside a transaction `in_tx` refuses to begin another; the turn is not taken twice.
    let queue = if in_transaction(conn)? { None } else { writer::current() };
    let _turn = queue.as_deref().map(writer::WriterQueue::turn).transpose()?;
    in_tx(conn, "BEGIN IMMEDIATE", f)
}

/// Many statements read from one snapshot, so figures computed by separate queries agree
/// (PostgreSQL: `REPEATABLE READ READ ONLY`; SQLite: a deferred transaction). Inside an open
/// transaction it simply joins it. `pg_settings` are `SET LOCAL` statements for the duration
/// (analytic queries want more `work_mem` and no JIT); SQLite ignores them.
pub fn read_tx<T, E, F>(conn: &mut DbConnection, pg_settings: &[&str], f: F) -> Result<T, E>
where
    E: From<diesel::result::Error>,
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
{
    if in_transaction(conn)? {
        set_local(conn, pg_settings)?;
        return f(conn);
    }
    let begin = match conn {
        DbConnection::Sqlite(_) => "BEGIN",
        DbConnection::Postgresql(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    };
    in_tx(conn, begin, |conn| {
        set_local(conn, pg_settings)?;
        f(conn)
    })
}

/// `SET LOCAL` each setting, on PostgreSQL (SQLite has no per-transaction settings).
pub(super) fn set_local<S: AsRef<str>>(
    conn: &mut DbConnection,
    pg_settings: &[S],
) -> Result<(), diesel::result::Error> {
    if let DbConnection::Postgresql(c) = conn {
        for s in pg_settings {
            c.batch_execute(&format!("SET LOCAL {}", s.as_ref()))?;
        }
    }
    Ok(())
}

fn in_transaction(conn: &mut DbConnection) -> Result<bool, diesel::result::Error> {
    match conn {
        DbConnection::Sqlite(c) => depth(c),
        DbConnection::Postgresql(c) => depth(c),
    }
}

/// A second connection that reads the same snapshot as a [`read_tx_with_lane`] transaction,
/// so that an expensive read can be split over two connections (two server processes) and
/// still give figures from one instant.
pub struct Lane {
    conn: PooledConn,
    begin: String,
    settings: Vec<String>,
    /// The report slot the lane's connection counts against, given back with it.
    _slot: tokio::sync::OwnedSemaphorePermit,
}

impl Lane {
    /// Runs `f` on the lane's connection, in a read-only transaction on the shared snapshot.
    pub fn run<T, F>(mut self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError>,
    {
        let settings = std::mem::take(&mut self.settings);
        let result = in_tx(&mut self.conn, &self.begin, |conn| {
            set_local(conn, &settings)?;
            f(conn)
        });
        if result.is_err() {
            self.conn.lost = true;
        }
        result
    }
}

/// No parallel workers: for the statements of a transaction that has a [`Lane`], and for
/// per-person groupings that every worker would rebuild.
pub(super) const NO_PARALLEL_WORKERS: &str = "max_parallel_workers_per_gather = 0";

thread_local! {
    /// The pool the current [`run`] took its connection from, for [`read_tx_with_lane`].
    static REQUEST_POOL: std::cell::RefCell<Option<DbPool>> = const { std::cell::RefCell::new(None) };
}

thread_local! {
    /// The report slots a [`Lane`] must take one of (see [`with_lane_slots`]).
    static LANE_SLOTS: std::cell::RefCell<Option<std::sync::Arc<tokio::sync::Semaphore>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` with `slots` as the budget of [`read_tx_with_lane`]'s second connections: a lane
/// is taken only with a free slot, so reports together hold no more connections than their
/// slots (`state::report_slots`). Outside it no lane is taken.
pub fn with_lane_slots<T>(slots: std::sync::Arc<tokio::sync::Semaphore>, f: impl FnOnce() -> T) -> T {
    scoped::with(&LANE_SLOTS, Some(slots), f)
}

/// [`read_tx`], with a [`Lane`] for `f` when the snapshot can be shared: PostgreSQL, this
/// call opened the transaction (a caller's write transaction may hold changes a second
/// connection could not see), a report slot is free ([`with_lane_slots`]), and the
/// request's pool has an idle connection right now (a busy pool gets no lane rather than a
/// wait).
pub fn read_tx_with_lane<T, F>(conn: &mut DbConnection, pg_settings: &[&str], f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, Option<Lane>) -> Result<T, ApiError>,
{
    let open = in_transaction(conn)?;
    let pool = scoped::get(&REQUEST_POOL);
    let (DbConnection::Postgresql(_), false, Some(pool)) = (&*conn, open, pool) else {
        return read_tx(conn, pg_settings, |conn| f(conn, None));
    };
    read_tx(conn, pg_settings, |conn| {
        let slot = scoped::get(&LANE_SLOTS).and_then(|s| s.try_acquire_owned().ok());
        let lane = match slot.and_then(|slot| pool.try_get().map(|helper| (helper, slot))) {
            Some((helper, slot)) => {
                // The two connections are the call's parallelism: parallel workers on top only
                // contend for the same cores (a national report on two cores: p50 485 ms
                // without them, 696 ms with; two reports at a time, 1.08 s against 1.35 s).
                set_local(conn, &[NO_PARALLEL_WORKERS])?;
                let snapshot: String =
                    diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>("pg_export_snapshot()"))
                        .get_result(conn)?;
                Some(Lane {
                    conn: helper,
                    begin: format!(
                        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '{}'",
                        snapshot.replace('\'', "''")
                    ),
                    settings: pg_settings.iter().copied().chain([NO_PARALLEL_WORKERS]).map(String::from).collect(),
                    _slot: slot,
                })
            }
            None => None,
        };
        f(conn, lane)
    })
}

fn depth<C>(c: &mut C) -> Result<bool, diesel::result::Error>
where
    C: Connection<TransactionManager = AnsiTransactionManager>,
{
    Ok(AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()?.is_some())
}

fn in_tx<T, E, F>(conn: &mut DbConnection, begin: &str, f: F) -> Result<T, E>
where
    E: From<diesel::result::Error>,
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
{
    match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, begin)?,
        DbConnection::Postgresql(c) => AnsiTransactionManager::begin_transaction_sql(c, begin)?,
    }
    let result = f(conn);
    let end = match (&result, &mut *conn) {
        (Ok(_), DbConnection::Sqlite(c)) => {
            <AnsiTransactionManager as TransactionManager<SqliteConnection>>::commit_transaction(c)
        }
        (Ok(_), DbConnection::Postgresql(c)) => {
            <AnsiTransactionManager as TransactionManager<PgConnection>>::commit_transaction(c)
        }
        (Err(_), DbConnection::Sqlite(c)) => {
            <AnsiTransactionManager as TransactionManager<SqliteConnection>>::rollback_transaction(c)
        }
        (Err(_), DbConnection::Postgresql(c)) => {
            <AnsiTransactionManager as TransactionManager<PgConnection>>::rollback_transaction(c)
        }
    };
    match (result, end) {
        (Ok(v), Ok(())) => Ok(v),
        (Ok(_), Err(e)) => Err(e.into()),
        (Err(e), _) => Err(e),
    }
}

/// How long a request waits for a connection when the pool holds none.
const DOWN_WAIT: Duration = Duration::from_millis(500);

/// Runs blocking database work on actix's thread pool with a pooled connection.
pub async fn run<T, F>(pool: &DbPool, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
{
    run_until(pool, None, f).await
}

/// [`run`] for a request: SQLite stops its statements at the request's `deadline` (see
/// [`deadline`]), so a request given up on does not keep its connection.
pub async fn run_until<T, F>(pool: &DbPool, until: Option<Instant>, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        // No live connection at all: the database is most likely down. Wait only briefly, so
        // callers get their 503 at once rather than after the full pool timeout; r2d2 keeps
        // reconnecting in the background and normal waits resume with the first connection.
        let down = pool.state().connections == 0;
        let mut conn =
            if down { pool.get_timeout(DOWN_WAIT) } else { pool.get() }.map_err(|e| ApiError::from_pool(e, down))?;
        let queue = conn.writer.clone();
        let result = scoped::with(&REQUEST_POOL, Some(pool.clone()), || {
            writer::queued(queue, || deadline::bounded(until, || f(&mut conn)))
        });
        if matches!(result, Err(ApiError::Unavailable(_))) {
            // Lost, or overloaded: either way a new connection serves the next request better.
            conn.lost = true;
        }
        result
    })
    .await
    .map_err(|_| ApiError::internal("blocking task was cancelled"))?
}

/// Escapes `%`, `_` and `\` so user text is matched literally inside a LIKE pattern
/// (used with `ESCAPE '\'`).
pub fn like_contains(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len() + 2);
    out.push('%');
    for ch in folded.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// Pagination window for SQL.
pub fn offset(page: i64, page_size: i64) -> i64 {
    (page - 1).saturating_mul(page_size)
}
