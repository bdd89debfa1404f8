//! `thncd demo-data --with-accounts`: a login per role on the demo's busiest commune, so a
//! newcomer can log in within two minutes and see persons. Passwords and the client secret
//! are random, made for this database and printed once: demo credentials, never real ones.

use diesel::prelude::*;

use crate::auth::Role;
use crate::cli::{create_account, create_client, Labels};
use crate::db::{schema, DbConnection};

/// A login made for the demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCredential {
    /// The role, as tokens and the permission table name it.
    pub role: &'static str,
    /// The unit the login's jurisdiction covers (the commune, its province, or `VN`).
    pub unit: String,
    /// `password` (a staff account) or `client_credentials` (an integration client).
    pub grant_type: &'static str,
    /// The username, or the client's `client_id`.
    pub login: String,
    /// The password, or the client's secret.
    pub secret: String,
}

/// Where a demo login sits.
#[derive(Clone, Copy)]
enum Scope {
    Commune,
    Province,
    National,
}

/// The staff accounts: (username, role, scope). `admin` manages accounts and reads no case
/// data; a supervisor reaches only the persons assigned to them; a facility only what it
/// created (none of the generated population).
const ACCOUNTS: &[(&str, Role, Scope)] = &[
    ("demo.police", Role::Police, Scope::Commune),
    ("demo.committee", Role::CommuneCommittee, Scope::Commune),
    ("demo.justice", Role::Justice, Scope::Commune),
    ("demo.labour", Role::Labour, Scope::Commune),
    ("demo.supervisor", Role::Supervisor, Scope::Commune),
    ("demo.police.province", Role::Police, Scope::Province),
    ("demo.facility", Role::Facility, Scope::Province),
    ("demo.auditor", Role::Auditor, Scope::National),
    ("demo.admin", Role::Admin, Scope::National),
];

/// The commune with the most persons under management, its name and its province.
fn busiest_commune(conn: &mut DbConnection) -> Result<(String, String, String), String> {
    use schema::persons::dsl as p;
    let units: Vec<(String, String)> = p::persons
        .filter(p::status.eq("under_management"))
        .select((p::unit_code, p::province_code))
        .load(conn)
        .map_err(|e| e.to_string())?;
    let mut counts: std::collections::BTreeMap<(String, String), usize> = std::collections::BTreeMap::new();
    for unit in units {
        *counts.entry(unit).or_default() += 1;
    }
    let ((commune, province), _) = counts
        .into_iter()
        .max_by(|(a, n), (b, m)| n.cmp(m).then(b.cmp(a)))
        .ok_or("no person is under management: generate persons first")?;
    let name: String = schema::admin_units::table
        .find(&commune)
        .select(schema::admin_units::name)
        .first(conn)
        .map_err(|e| e.to_string())?;
    Ok((commune, name, province))
}

fn demo_password() -> String {
    // 16 random characters, and an upper case, a lower case, a digit and a symbol for sure.
    let random: String =
        crate::auth::password::random_secret().chars().filter(char::is_ascii_alphanumeric).take(16).collect();
    format!("Demo-{random}-7")
}

/// Creates the demo logins on the busiest commune of a generated population; returns the
/// commune (code and name) and the credentials.
pub fn create_accounts(conn: &mut DbConnection) -> Result<((String, String), Vec<DemoCredential>), String> {
    let (commune, name, province) = busiest_commune(conn)?;
    let mut out = Vec::new();
    for (username, role, scope) in ACCOUNTS {
        let unit = match scope {
            Scope::Commune => commune.clone(),
            Scope::Province => province.clone(),
            Scope::National => "VN".to_string(),
        };
        let facility_name = (*role == Role::Facility).then(|| format!("Trại tạm giam Công an tỉnh {province}"));
        let password = demo_password();
        let labels = Labels { agency: Some("Demo".into()), facility_name };
        create_account(conn, username, &password, &[*role], &unit, Some(format!("Demo {}", role.as_str())), labels)?;
        out.push(DemoCredential {
            role: role.as_str(),
            unit,
            grant_type: "password",
            login: username.to_string(),
            secret: password,
        });
    }
    // The Social Policy Bank is an integration client of the province's branch.
    let labels = Labels { agency: Some("Ngân hàng Chính sách xã hội (demo)".into()), facility_name: None };
    let (client_id, secret) = create_client(conn, &format!("VBSP demo {province}"), &[Role::Bank], &province, labels)?;
    out.push(DemoCredential {
        role: Role::Bank.as_str(),
        unit: province,
        grant_type: "client_credentials",
        login: client_id,
        secret,
    });
    Ok(((commune, name), out))
}

/// The block `thncd demo-data --with-accounts` prints: one line per login, `key=value`.
pub fn credentials_text(commune: &(String, String), credentials: &[DemoCredential]) -> String {
    let mut text = String::from(
        "\n=== DEMO CREDENTIALS (for trying thncd on this machine only; anyone who reads them can log in) ===\n",
    );
    text.push_str(&format!("demo commune: {} {}\n", commune.0, commune.1));
    for c in credentials {
        let (login, secret) =
            if c.grant_type == "password" { ("username", "password") } else { ("client_id", "client_secret") };
        text.push_str(&format!(
            "role={:<18} unit={:<6} grant_type={:<19} {login}={} {secret}={}\n",
            c.role, c.unit, c.grant_type, c.login, c.secret
        ));
    }
    text.push_str(
        "admin manages accounts and clients and reads no case data (403 on persons): log in as demo.police to see \
         persons.\n=== END OF DEMO CREDENTIALS ===\n",
    );
    text
}
