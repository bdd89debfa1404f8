//! Command line: `serve` (default), `migrate`, `openapi`, `backup`, `accounts`, `clients`.

use clap::{Parser, Subcommand};

use crate::auth::roles::{roles_to_db, Jurisdiction, Role};
use crate::config::Settings;
use crate::db::{self, accounts, admin_units, audit};

#[derive(Debug, Parser)]
#[command(name = "thncd", version, about = "Community reintegration (THNCĐ) case-management API")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default).
    Serve,
    /// Apply pending database migrations and seed reference data, then exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Take an online backup of the database (SQLite: VACUUM INTO; PostgreSQL: pg_dump
    /// --format=custom) while the service may be running. See docs/operations.md.
    Backup {
        /// The backup file to create; an existing file is never overwritten.
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// Exit 0 when the local service answers `GET /healthz` (for container health checks).
    Healthcheck,
    /// Fill a fresh database with a reproducible demo population.
    DemoData {
        #[arg(long, default_value_t = 500)]
        persons: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Also create one login per role on the busiest demo commune and print them,
        /// marked as demo credentials (random passwords; never on a real database).
        #[arg(long)]
        with_accounts: bool,
    },
    /// Manage staff accounts.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Manage integration clients.
    #[command(subcommand)]
    Clients(ClientsCommand),
}

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Create an account; the password comes from THNCD_PASSWORD or a prompt.
    Create {
        #[arg(long)]
        username: String,
        /// Repeat for several roles.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// `VN`, a province or a commune code.
        #[arg(long)]
        unit: String,
        #[arg(long)]
        full_name: Option<String>,
        #[arg(long)]
        agency: Option<String>,
        /// The detention facility of a `facility` account (required with that role).
        #[arg(long)]
        facility_name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClientsCommand {
    /// Register an integration client and print its id and secret (shown once).
    Create {
        #[arg(long)]
        name: String,
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        agency: Option<String>,
        /// The detention facility of a `facility` client (required with that role).
        #[arg(long)]
        facility_name: Option<String>,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role `{s}`; one of: {}", names.join(", "))
    })
}

pub async fn run(cli: Cli) -> Result<(), String> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let settings = Settings::from_env()?;
            let app = crate::startup::Application::build(settings)?;
            app.run_until_stopped().await.map_err(|e| format!("server error: {e}"))
        }
        Command::Healthcheck => healthcheck(),
        Command::Backup { output } => {
            let settings = Settings::from_env()?;
            let report = crate::backup::backup(&settings.database_url, &output)?;
            println!("backup written: {} ({} bytes, {})", report.path.display(), report.bytes, report.method);
            Ok(())
        }
        Command::DemoData { persons, seed, with_accounts } => {
            let settings = Settings::from_env()?;
            let pool = crate::startup::open_database(&Settings { migrate_on_start: true, ..settings })?;
            let mut conn = pool.get().map_err(|e| format!("cannot connect: {e}"))?;
            let stats = crate::demo::generate(
                &mut conn,
                &crate::demo::DemoOptions { persons, seed, today: crate::time::today_vn() },
            )?;
            println!(
                "{} persons, {} convictions, {} status changes, {} attribute changes, {} activities, {} trainings, \
                 {} job referrals, {} assistance grants, {} loans ({} of other programmes, {} postings), {} judicial-record requests, {} committees, {} models, \
                 {} outreach events, {} facility activities in {:.1} s",
                stats.persons,
                stats.convictions,
                stats.history_rows,
                stats.attribute_changes,
                stats.activities,
                stats.trainings,
                stats.referrals,
                stats.assistance,
                stats.loans,
                stats.other_programme_loans,
                stats.postings,
                stats.judicial_record_requests,
                stats.committees,
                stats.models,
                stats.outreach,
                stats.facility_activities,
                stats.seconds
            );
            if with_accounts {
                let (commune, credentials) = crate::demo::create_accounts(&mut conn)?;
                print!("{}", crate::demo::credentials_text(&commune, &credentials));
            }
            Ok(())
        }
        Command::Migrate => {
            let settings = Settings::from_env()?;
            let pool = db::build_pool(&settings.database_url, 1)?;
            let mut conn = pool.get().map_err(|e| format!("cannot connect: {e}"))?;
            let n = db::migrate(&mut conn)?;
            println!("{n} migration(s) applied");
            Ok(())
        }
        Command::Openapi { output } => {
            let text = crate::openapi::to_json(&crate::openapi::document());
            match output {
                Some(path) => std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display())),
                None => {
                    print!("{text}");
                    Ok(())
                }
            }
        }
        Command::Accounts(AccountsCommand::Create { username, roles, unit, full_name, agency, facility_name }) => {
            let password = match std::env::var("THNCD_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => rpassword::prompt_password("Password: ").map_err(|e| format!("cannot read password: {e}"))?,
            };
            crate::auth::password::check_strength(&password).map_err(|e| format!("password {e}"))?;
            let settings = Settings::from_env()?;
            let pool = crate::startup::open_database(&Settings { migrate_on_start: true, ..settings })?;
            let mut conn = pool.get().map_err(|e| format!("cannot connect: {e}"))?;
            let id = create_account(
                &mut conn,
                &username,
                &password,
                &roles,
                &unit,
                full_name,
                Labels { agency, facility_name },
            )?;
            println!("account {username} created: {id}");
            Ok(())
        }
        Command::Clients(ClientsCommand::Create { name, roles, unit, agency, facility_name }) => {
            let settings = Settings::from_env()?;
            let pool = crate::startup::open_database(&Settings { migrate_on_start: true, ..settings })?;
            let mut conn = pool.get().map_err(|e| format!("cannot connect: {e}"))?;
            let (client_id, secret) = create_client(&mut conn, &name, &roles, &unit, Labels { agency, facility_name })?;
            println!("client_id={client_id}\nclient_secret={secret}");
            Ok(())
        }
    }
}

/// A dependency-free probe: one HTTP/1.0 request to THNCD_BIND (0.0.0.0 means localhost).
fn healthcheck() -> Result<(), String> {
    use std::io::{Read, Write};
    let bind = std::env::var("THNCD_BIND").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let target = bind.replace("0.0.0.0", "127.0.0.1").replace("[::]", "[::1]");
    let timeout = std::time::Duration::from_secs(3);
    let addr = std::net::ToSocketAddrs::to_socket_addrs(&target)
        .map_err(|e| format!("bad address {target}: {e}"))?
        .next()
        .ok_or("no address")?;
    let mut stream = std::net::TcpStream::connect_timeout(&addr, timeout).map_err(|e| format!("connect: {e}"))?;
    stream.set_read_timeout(Some(timeout)).map_err(|e| e.to_string())?;
    stream.write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n").map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream.read_to_string(&mut response).map_err(|e| e.to_string())?;
    if response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200") {
        Ok(())
    } else {
        Err(format!("unhealthy: {}", response.lines().next().unwrap_or_default()))
    }
}

fn resolve_unit(conn: &mut db::DbConnection, unit: &str) -> Result<admin_units::UnitRef, String> {
    if Jurisdiction::parse(unit).is_none() {
        return Err(format!("`{unit}` is not VN, a province or a commune code"));
    }
    admin_units::resolve(conn, unit, "unit").map_err(|_| format!("unknown unit `{unit}`"))
}

/// The agency and, for a `facility` principal, the detention facility it stands for.
#[derive(Debug, Default, Clone)]
pub struct Labels {
    pub agency: Option<String>,
    pub facility_name: Option<String>,
}

pub fn create_account(
    conn: &mut db::DbConnection,
    username: &str,
    password: &str,
    roles: &[Role],
    unit: &str,
    full_name: Option<String>,
    labels: Labels,
) -> Result<String, String> {
    let Labels { agency, facility_name } = labels;
    crate::auth::roles::check_facility_name(roles, facility_name.as_deref())?;
    let unit = resolve_unit(conn, unit)?;
    let hash = crate::auth::password::hash(password)?;
    let id = uuid::Uuid::now_v7().to_string();
    db::write_tx(conn, |conn| {
        let row = accounts::insert(
            conn,
            accounts::NewAccount {
                id: id.clone(),
                username: username.to_string(),
                password_hash: hash,
                full_name: full_name.unwrap_or_else(|| username.to_string()),
                roles: roles_to_db(roles),
                unit_code: unit.code.clone(),
                province_code: unit.province_code.clone(),
                agency,
                facility_name,
            },
        )?;
        audit::record(
            conn,
            &audit::Actor::system("cli"),
            audit::Entry {
                action: "account.create",
                entity_type: "account",
                entity_id: Some(&row.id),
                unit_code: Some(&row.unit_code),
                province_code: row.province_code.as_deref(),
                after: serde_json::to_value(row.view()).ok(),
                ..Default::default()
            },
        )
    })
    .map_err(|e: crate::error::ApiError| e.to_problem().detail.unwrap_or_else(|| e.to_string()))?;
    Ok(id)
}

pub fn create_client(
    conn: &mut db::DbConnection,
    name: &str,
    roles: &[Role],
    unit: &str,
    labels: Labels,
) -> Result<(String, String), String> {
    let Labels { agency, facility_name } = labels;
    crate::auth::roles::check_facility_name(roles, facility_name.as_deref())?;
    let unit = resolve_unit(conn, unit)?;
    let secret = crate::auth::password::random_secret();
    let now = crate::time::now();
    let id = uuid::Uuid::now_v7();
    let row = db::clients::ClientRow {
        id: id.to_string(),
        client_id: format!("cli_{}", id.simple()),
        name: name.to_string(),
        secret_hash: crate::services::clients::hash_secret(&secret),
        roles: roles_to_db(roles),
        unit_code: unit.code,
        province_code: unit.province_code,
        agency,
        disabled: false,
        tokens_valid_after: now,
        created_at: now,
        updated_at: now,
        version: 1,
        facility_name,
    };
    db::write_tx(conn, |conn| {
        let row = db::clients::insert(conn, &row)?;
        audit::record(
            conn,
            &audit::Actor::system("cli"),
            audit::Entry {
                action: "client.create",
                entity_type: "client",
                entity_id: Some(&row.id),
                unit_code: Some(&row.unit_code),
                province_code: row.province_code.as_deref(),
                after: serde_json::to_value(row.view()).ok(),
                ..Default::default()
            },
        )
    })
    .map_err(|e: crate::error::ApiError| e.to_string())?;
    Ok((row.client_id, secret))
}
