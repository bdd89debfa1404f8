//! Settings from the environment (`THNCD_*`, `DATABASE_URL`). Secrets never appear in `Debug`.

use std::path::PathBuf;

#[derive(Clone)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port (tests).
    pub bind: String,
    /// `postgres://…` or a SQLite file path (`sqlite://path` also accepted).
    pub database_url: String,
    /// Optional PostgreSQL read replica (`DATABASE_READ_URL`) for reads that tolerate
    /// replication lag: live indicators and person lists. Never migrated.
    pub read_database_url: Option<String>,
    /// Where the default SQLite file and the development signing key live.
    pub data_dir: PathBuf,
    pub pool_size: u32,
    pub jwt: JwtSettings,
    /// Origins allowed to call the API from a browser.
    pub cors_origins: Vec<String>,
    /// Largest accepted request body in bytes.
    pub max_body_bytes: usize,
    /// Worker threads (0 = one per core).
    pub workers: usize,
    /// Run migrations when the server starts.
    pub migrate_on_start: bool,
    /// Maximum days without contact per classification group (overdue list).
    pub contact_intervals: crate::domain::contact::ContactIntervals,
    /// Report due dates per period kind (`THNCD_REPORT_DUE=semiannual=05-15,annual=11-15`).
    pub report_due: crate::domain::reporting::DueDates,
    /// Background worker: webhook delivery and the daily expungement job.
    pub worker: WorkerSettings,
    /// Largest import file in bytes.
    pub import_max_bytes: usize,
    /// What one import may cost besides its size: rows, columns, cell length, XLSX parts
    /// (`THNCD_IMPORT_MAX_ROWS`, `…_COLUMNS`, `…_CELL_CHARS`, `…_PART_BYTES`,
    /// `…_UNZIPPED_BYTES`, `…_ZIP_RATIO`, `…_PROBLEMS`).
    pub import_limits: crate::import::ImportLimits,
    /// Take the client address from `Forwarded`/`X-Forwarded-For` (only behind a proxy that
    /// sets them; otherwise a caller could pick its own address and dodge the login limits).
    pub trust_forwarded: bool,
    /// Token requests accepted per client address and minute, successful or not.
    pub token_rate_per_minute: u32,
    /// A request still unanswered after this many seconds gets a 503.
    pub request_timeout_secs: u64,
    /// How long a principal confirmed active (enabled, token stamp current) is trusted
    /// without asking the database again: the longest a revocation made on another
    /// instance takes to reach this one. 0 checks on every request.
    pub principal_cache_ms: u64,
    /// `GET /persons` counts matches exactly up to this many; above, `total` is an
    /// estimate unless the client asks `total=exact` (`THNCD_EXACT_TOTAL_UP_TO`, 1000).
    pub exact_total_up_to: i64,
    /// Address serving Prometheus metrics at `/metrics` (`THNCD_METRICS_BIND`); unset, no
    /// metrics are served.
    pub metrics_bind: Option<String>,
    /// What the worker purges, and after how long.
    pub housekeeping: HousekeepingSettings,
}

/// Retention of the tables that only grow otherwise; the worker purges them every
/// `interval_secs`. A retention of 0 keeps rows for ever.
#[derive(Debug, Clone)]
pub struct HousekeepingSettings {
    /// How often the purge runs (`THNCD_HOUSEKEEPING_INTERVAL_SECS`).
    pub interval_secs: u64,
    /// Failed logins per address (`THNCD_LOGIN_FAILURE_RETENTION_HOURS`); the address limit
    /// only looks back 15 minutes.
    pub login_failure_hours: u64,
    /// Idempotency keys and their stored answers (`THNCD_IDEMPOTENCY_RETENTION_HOURS`): a
    /// retry after this long runs again.
    pub idempotency_hours: u64,
    /// Finished webhook deliveries: delivered, dead or cancelled
    /// (`THNCD_WEBHOOK_DELIVERY_RETENTION_DAYS`). Pending and retrying ones are never purged.
    pub webhook_delivery_days: u64,
    /// Domain events, the `/events` feed and webhook source (`THNCD_EVENT_RETENTION_DAYS`).
    /// Only events the webhook dispatcher has already fanned out are purged.
    pub event_days: u64,
}

impl Default for HousekeepingSettings {
    fn default() -> Self {
        HousekeepingSettings {
            interval_secs: 3600,
            login_failure_hours: 24,
            idempotency_hours: 24,
            webhook_delivery_days: 30,
            event_days: 365,
        }
    }
}

#[derive(Clone)]
pub struct JwtSettings {
    pub issuer: String,
    pub audience: String,
    /// PEM file holding the Ed25519 private key (PKCS#8). Generated in `data_dir` if unset.
    pub signing_key_file: Option<PathBuf>,
    /// A JWKS file of public keys of trusted agency identity providers.
    pub trusted_jwks_file: Option<PathBuf>,
    /// Issuers accepted besides our own (for tokens verified with the trusted JWKS).
    pub trusted_issuers: Vec<String>,
    /// Lifetime of issued tokens, seconds (at most 3600).
    pub token_ttl_secs: i64,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("database_url", &redact_url(&self.database_url))
            .field("read_database_url", &self.read_database_url.as_deref().map(redact_url))
            .field("data_dir", &self.data_dir)
            .field("pool_size", &self.pool_size)
            .field("jwt_issuer", &self.jwt.issuer)
            .field("jwt_audience", &self.jwt.audience)
            .field("signing_key_file", &self.jwt.signing_key_file)
            .field("cors_origins", &self.cors_origins)
            .finish_non_exhaustive()
    }
}

/// Hides a password in `scheme://user:password@host/db`.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        if let Some((creds, host)) = rest.rsplit_once('@') {
            let user = creds.split(':').next().unwrap_or_default();
            return format!("{scheme}://{user}:***@{host}");
        }
    }
    url.to_string()
}

/// See [`Settings::database_location`].
pub fn describe_database(database_url: &str) -> String {
    match crate::db::Backend::from_url(database_url) {
        Ok(crate::db::Backend::Postgres) => match url::Url::parse(database_url) {
            Ok(u) => {
                let query = |key: &str| u.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned());
                let host = u.host_str().map(str::to_string).or_else(|| query("host")).unwrap_or("localhost".into());
                let port = u.port().unwrap_or(5432);
                let db = u.path().trim_start_matches('/');
                let db = if db.is_empty() { "(default database)" } else { db };
                let ssl = query("sslmode").unwrap_or_else(|| "prefer".into());
                format!("PostgreSQL at {host}:{port}, database {db}, sslmode={ssl}")
            }
            Err(_) => "PostgreSQL (unparsable URL)".into(),
        },
        _ => {
            let path = std::path::Path::new(crate::db::sqlite_path(database_url));
            let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            format!("SQLite file {}", shown.display())
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn env_parse<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match env(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| format!("{name}: cannot parse `{v}`")),
    }
}

impl Settings {
    pub fn from_env() -> Result<Settings, String> {
        let data_dir = PathBuf::from(env("THNCD_DATA_DIR").unwrap_or_else(|| "./data/local".into()));
        let database_url =
            env("DATABASE_URL").unwrap_or_else(|| data_dir.join("thncd.sqlite3").to_string_lossy().into_owned());
        let backend = crate::db::Backend::from_url(&database_url)?;
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2) as u32;
        let default_pool = match backend {
            crate::db::Backend::Postgres => (cores * 4).max(8),
            crate::db::Backend::Sqlite => (cores * 2).max(4),
        };
        let read_database_url = env("DATABASE_READ_URL");
        if let Some(url) = &read_database_url {
            if backend != crate::db::Backend::Postgres
                || crate::db::Backend::from_url(url)? != crate::db::Backend::Postgres
            {
                return Err("DATABASE_READ_URL is a PostgreSQL replica of a PostgreSQL DATABASE_URL".into());
            }
        }
        let ttl: i64 = env_parse("THNCD_TOKEN_TTL_SECS", 3600)?;
        if !(60..=3600).contains(&ttl) {
            return Err("THNCD_TOKEN_TTL_SECS must be between 60 and 3600".into());
        }
        Ok(Settings {
            bind: env("THNCD_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            database_url,
            read_database_url,
            data_dir,
            pool_size: env_parse("THNCD_DB_POOL_SIZE", default_pool)?,
            jwt: JwtSettings {
                issuer: env("THNCD_JWT_ISSUER").unwrap_or_else(|| "thncd".into()),
                audience: env("THNCD_JWT_AUDIENCE").unwrap_or_else(|| "thncd-api".into()),
                signing_key_file: env("THNCD_JWT_SIGNING_KEY_FILE").map(PathBuf::from),
                trusted_jwks_file: env("THNCD_TRUSTED_JWKS_FILE").map(PathBuf::from),
                trusted_issuers: split_list(env("THNCD_TRUSTED_ISSUERS")),
                token_ttl_secs: ttl,
            },
            cors_origins: split_list(env("THNCD_CORS_ORIGINS")),
            max_body_bytes: env_parse("THNCD_MAX_BODY_BYTES", 1024 * 1024)?,
            workers: env_parse("THNCD_WORKERS", 0)?,
            migrate_on_start: env_parse("THNCD_MIGRATE_ON_START", true)?,
            contact_intervals: match env("THNCD_CONTACT_INTERVALS") {
                Some(text) => crate::domain::contact::ContactIntervals::parse(&text)
                    .map_err(|e| format!("THNCD_CONTACT_INTERVALS: {e}"))?,
                None => Default::default(),
            },
            report_due: match env("THNCD_REPORT_DUE") {
                Some(text) => {
                    crate::domain::reporting::DueDates::parse(&text).map_err(|e| format!("THNCD_REPORT_DUE: {e}"))?
                }
                None => Default::default(),
            },
            worker: WorkerSettings {
                interval_ms: env_parse("THNCD_WORKER_INTERVAL_MS", 1000)?,
                max_attempts: env_parse("THNCD_WEBHOOK_MAX_ATTEMPTS", 8)?,
                backoff_base_ms: env_parse("THNCD_WEBHOOK_BACKOFF_MS", 30_000)?,
                timeout_ms: env_parse("THNCD_WEBHOOK_TIMEOUT_MS", 10_000)?,
                allow_private_urls: env_parse("THNCD_WEBHOOK_ALLOW_PRIVATE", false)?,
                enabled: env_parse("THNCD_WORKER", true)?,
                due_job_interval_secs: env_parse("THNCD_DUE_JOB_INTERVAL_SECS", 600)?,
            },
            import_max_bytes: env_parse("THNCD_IMPORT_MAX_BYTES", 20 * 1024 * 1024)?,
            import_limits: import_limits()?,
            trust_forwarded: env_parse("THNCD_TRUST_FORWARDED", false)?,
            token_rate_per_minute: env_parse("THNCD_TOKEN_RATE_PER_MINUTE", 30)?,
            request_timeout_secs: env_parse("THNCD_REQUEST_TIMEOUT_SECS", 60)?,
            principal_cache_ms: env_parse("THNCD_PRINCIPAL_CACHE_MS", 2000)?,
            exact_total_up_to: env_parse("THNCD_EXACT_TOTAL_UP_TO", 1000)?,
            metrics_bind: env("THNCD_METRICS_BIND"),
            housekeeping: housekeeping()?,
        })
    }

    /// Where the data is, for the start-up log: the SQLite file's absolute path, or the
    /// PostgreSQL host, port, database and TLS mode (never user or password).
    pub fn database_location(&self) -> String {
        describe_database(&self.database_url)
    }

    pub fn backend(&self) -> crate::db::Backend {
        crate::db::Backend::from_url(&self.database_url).unwrap_or(crate::db::Backend::Sqlite)
    }
}

fn housekeeping() -> Result<HousekeepingSettings, String> {
    let d = HousekeepingSettings::default();
    Ok(HousekeepingSettings {
        interval_secs: env_parse("THNCD_HOUSEKEEPING_INTERVAL_SECS", d.interval_secs)?,
        login_failure_hours: env_parse("THNCD_LOGIN_FAILURE_RETENTION_HOURS", d.login_failure_hours)?,
        idempotency_hours: env_parse("THNCD_IDEMPOTENCY_RETENTION_HOURS", d.idempotency_hours)?,
        webhook_delivery_days: env_parse("THNCD_WEBHOOK_DELIVERY_RETENTION_DAYS", d.webhook_delivery_days)?,
        event_days: env_parse("THNCD_EVENT_RETENTION_DAYS", d.event_days)?,
    })
}

fn import_limits() -> Result<crate::import::ImportLimits, String> {
    let d = crate::import::ImportLimits::default();
    let limits = crate::import::ImportLimits {
        max_rows: env_parse("THNCD_IMPORT_MAX_ROWS", d.max_rows)?,
        max_columns: env_parse("THNCD_IMPORT_MAX_COLUMNS", d.max_columns)?,
        max_cell_chars: env_parse("THNCD_IMPORT_MAX_CELL_CHARS", d.max_cell_chars)?,
        max_part_bytes: env_parse("THNCD_IMPORT_MAX_PART_BYTES", d.max_part_bytes)?,
        max_unzipped_bytes: env_parse("THNCD_IMPORT_MAX_UNZIPPED_BYTES", d.max_unzipped_bytes)?,
        max_zip_ratio: env_parse("THNCD_IMPORT_MAX_ZIP_RATIO", d.max_zip_ratio)?,
        max_problems: env_parse("THNCD_IMPORT_MAX_PROBLEMS", d.max_problems)?,
    };
    if limits.max_rows == 0 || limits.max_columns == 0 || limits.max_cell_chars == 0 || limits.max_problems == 0 {
        return Err("THNCD_IMPORT_MAX_ROWS, _COLUMNS, _CELL_CHARS and _PROBLEMS must be at least 1".into());
    }
    Ok(limits)
}

fn split_list(v: Option<String>) -> Vec<String> {
    v.map(|s| s.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact_url("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact_url("./data/x.sqlite3"), "./data/x.sqlite3");
    }

    #[test]
    fn describes_the_database_without_credentials() {
        let pg =
            describe_database("postgres://app:s3cret@db.example:6543/thncd?sslmode=verify-full&sslrootcert=/ca.pem");
        assert_eq!(pg, "PostgreSQL at db.example:6543, database thncd, sslmode=verify-full");
        assert!(!pg.contains("s3cret") && !pg.contains("app"));
        assert!(describe_database("postgresql://h/db").ends_with("h:5432, database db, sslmode=prefer"));
        let file = describe_database("data/x.sqlite3");
        assert!(file.starts_with("SQLite file /") && file.ends_with("data/x.sqlite3"), "{file}");
    }
}

/// Webhook and job settings.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Pause between rounds when there is nothing to do.
    pub interval_ms: u64,
    /// Attempts before a delivery is dead-lettered.
    pub max_attempts: i32,
    /// First retry delay; doubles per attempt (capped at one hour).
    pub backoff_base_ms: u64,
    /// Per-attempt HTTP timeout.
    pub timeout_ms: u64,
    /// Allow webhook URLs on loopback and private networks (tests, closed networks).
    pub allow_private_urls: bool,
    pub enabled: bool,
    /// How often the expungement-due job looks for forecast dates that have arrived (it
    /// announces each person once, whichever instance runs it).
    pub due_job_interval_secs: u64,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            interval_ms: 1000,
            max_attempts: 8,
            backoff_base_ms: 30_000,
            timeout_ms: 10_000,
            allow_private_urls: false,
            enabled: true,
            due_job_interval_secs: 600,
        }
    }
}
