//! `thncd demo-data`: a reproducible population for demos and benchmarks.
//!
//! Persons are spread over the real communes with a skewed (Zipf-like) weight, with
//! Vietnamese names, ID numbers consistent with birth year and sex, one judgment each
//! (offence groups and penalties in plausible bands), a dated status history from the
//! release notice to the current status (including every exit), and the derived columns
//! the service itself would compute (expungement forecast, juvenile flag, search text).
//! Rows go in with multi-row INSERTs in write transactions of 500 persons, so 200,000
//! persons load in well under a minute or two on either backend.

use chrono::{Datelike, Days, NaiveDate};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::db::{self, schema, Backend, DbConnection};
use crate::domain::expungement::{self, ConvictionFacts, CrimeCategory, Culpability, PersonFacts, PrincipalPenalty};

mod accounts;
mod communes;

pub use accounts::{create_accounts, credentials_text, DemoCredential};
use communes::{communes_extras, facility_extras};

pub struct DemoOptions {
    pub persons: usize,
    pub seed: u64,
    pub today: NaiveDate,
}

#[derive(Debug, Default)]
pub struct DemoStats {
    pub persons: usize,
    pub convictions: usize,
    pub history_rows: usize,
    pub attribute_changes: usize,
    pub activities: usize,
    pub trainings: usize,
    pub referrals: usize,
    pub assistance: usize,
    pub loans: usize,
    pub postings: usize,
    pub committees: usize,
    pub models: usize,
    pub outreach: usize,
    /// Loans of the bank's other programmes (counted in `loans` too).
    pub other_programme_loans: usize,
    pub judicial_record_requests: usize,
    pub facility_activities: usize,
    pub seconds: f64,
}

/// Rows for the support, labour and loan tables, filled per batch of persons.
#[derive(Default)]
struct Extras {
    attributes: Vec<String>,
    activities: Vec<String>,
    trainings: Vec<String>,
    referrals: Vec<String>,
    assistance: Vec<String>,
    lists: Vec<String>,
    entries: Vec<String>,
    loans: Vec<String>,
    postings: Vec<String>,
    judicial: Vec<String>,
    other_programme_loans: usize,
}

const ACTIVITY_KINDS: &[(&str, u32)] = &[
    ("home_visit", 30),
    ("check_in", 25),
    ("counselling_individual", 10),
    ("psychological_support", 5),
    ("legal_support", 12),
    ("vocational_guidance", 6),
    ("loan_guidance", 4),
    ("violation_observed", 2),
    ("commendation", 3),
    ("other", 3),
];
const LEGAL_SUB_KINDS: &[&str] = &[
    "national_id_card",
    "residence_registration",
    "judicial_record_certificate",
    "expungement_guidance",
    "civil_status",
    "civil_judgment_obligation",
];

fn uid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.gen()).into_uuid().to_string()
}

fn insert(conn: &mut DbConnection, table: &str, columns: &str, rows: &[String]) -> QueryResult<usize> {
    for chunk in rows.chunks(2000) {
        diesel::sql_query(format!("INSERT INTO {table} ({columns}) VALUES {}", chunk.join(", "))).execute(conn)?;
    }
    Ok(rows.len())
}

const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 51),
    ("Huỳnh", 30),
    ("Phan", 45),
    ("Vũ", 39),
    ("Võ", 25),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
];
const MIDDLE_M: &[&str] = &["Văn", "Đình", "Minh", "Quốc", "Hữu", "Đức", "Công", "Xuân", "Thanh", "Ngọc"];
const MIDDLE_F: &[&str] = &["Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Kim"];
const GIVEN_M: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Khánh", "Long", "Mạnh", "Nam", "Phong", "Quân", "Sơn",
    "Thắng", "Tuấn", "Việt", "Vinh", "Hưng", "Lộc",
];
const GIVEN_F: &[&str] =
    &["Anh", "Hoa", "Hằng", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Thảo", "Trang", "Yến"];
const VILLAGES: &[&str] =
    &["Thôn 1", "Thôn 2", "Thôn 3", "Thôn Đông", "Thôn Tây", "Tổ dân phố 4", "Tổ dân phố 7", "Ấp Bắc", "Bản Mường"];
const OCCUPATIONS: &[&str] =
    &["làm nông", "lao động tự do", "công nhân", "buôn bán", "thợ xây", "chạy xe ôm", "không nghề"];
/// (group, chapter, articles, weight)
const OFFENCES: &[(&str, i32, &str, u32)] = &[
    ("drugs", 20, "249", 35),
    ("theft", 16, "173", 25),
    ("robbery", 16, "168", 4),
    ("gambling", 21, "321", 6),
    ("assault", 14, "134", 8),
    ("fraud", 16, "174", 6),
    ("traffic", 21, "260", 5),
    ("forest_and_environment", 19, "232", 3),
    ("sexual_offence", 14, "141", 2),
    ("homicide", 14, "123", 2),
    ("public_order", 21, "318", 3),
    ("national_security", 13, "117", 1),
];

fn pick_weighted<'a, T>(rng: &mut StdRng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total);
    for (item, w) in items {
        if x < *w {
            return item;
        }
        x -= w;
    }
    &items[0].0
}

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
fn qo(s: Option<&str>) -> String {
    s.map(q).unwrap_or_else(|| "NULL".into())
}
fn qd(d: Option<NaiveDate>) -> String {
    d.map(|d| format!("'{d}'")).unwrap_or_else(|| "NULL".into())
}

struct Sql {
    backend: Backend,
}

impl Sql {
    fn b(&self, v: bool) -> &'static str {
        match (self.backend, v) {
            (Backend::Postgres, true) => "TRUE",
            (Backend::Postgres, false) => "FALSE",
            (Backend::Sqlite, true) => "1",
            (Backend::Sqlite, false) => "0",
        }
    }
}

pub fn generate(conn: &mut DbConnection, opts: &DemoOptions) -> Result<DemoStats, String> {
    let started = std::time::Instant::now();
    let existing: i64 = schema::persons::table.count().get_result(conn).map_err(|e| e.to_string())?;
    if existing > 0 {
        return Err(format!("the database already holds {existing} persons: run demo-data on a fresh database"));
    }
    let sql = Sql { backend: db::backend_of(conn) };
    let mut communes: Vec<(String, String)> = schema::admin_units::table
        .filter(schema::admin_units::level.eq("commune"))
        .order(schema::admin_units::code.asc())
        .select((schema::admin_units::code, schema::admin_units::province_code.assume_not_null()))
        .load(conn)
        .map_err(|e| e.to_string())?;
    let mut rng = StdRng::seed_from_u64(opts.seed);
    // Skew: shuffle, then weight by rank^-0.7 so some communes hold many returnees.
    for i in (1..communes.len()).rev() {
        let j = rng.gen_range(0..=i);
        communes.swap(i, j);
    }
    let weights: Vec<f64> = (1..=communes.len()).map(|r| 1.0 / (r as f64).powf(0.7)).collect();
    let total_w: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total_w;
        cumulative.push(acc);
    }
    let now = crate::time::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let mut stats = DemoStats::default();
    let mut id_serial: u32 = 0;
    // (unit, month) → loan list id; communes' first managed persons (model participants).
    let mut lists: std::collections::HashMap<(String, String), String> = std::collections::HashMap::new();
    let mut participants: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    let batch = 500;
    let mut done = 0;
    while done < opts.persons {
        let n = batch.min(opts.persons - done);
        let (mut persons, mut convictions, mut history) =
            (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n * 4));
        let mut extras = Extras::default();
        for _ in 0..n {
            let u: f64 = rng.gen();
            let idx = cumulative.partition_point(|c| *c < u).min(communes.len() - 1);
            let (unit, province) = communes[idx].clone();
            let female = rng.gen_bool(0.08);
            let family = *pick_weighted(&mut rng, FAMILY);
            let (middle, given) = if female {
                (MIDDLE_F[rng.gen_range(0..MIDDLE_F.len())], GIVEN_F[rng.gen_range(0..GIVEN_F.len())])
            } else {
                (MIDDLE_M[rng.gen_range(0..MIDDLE_M.len())], GIVEN_M[rng.gen_range(0..GIVEN_M.len())])
            };
            let name = format!("{family} {middle} {given}");
            let release = opts.today - Days::new(rng.gen_range(0..1825));
            let age_at_release = if rng.gen_bool(0.01) { rng.gen_range(16..18) } else { rng.gen_range(19..65) };
            let dob =
                NaiveDate::from_ymd_opt(release.year() - age_at_release, rng.gen_range(1..=12), rng.gen_range(1..=28))
                    .unwrap_or(release);
            id_serial += 1;
            let century_sex = (dob.year() - 1900) / 100 * 2 + i32::from(female);
            let id_number = format!(
                "{:03}{}{:02}{:06}",
                rng.gen_range(1..=96),
                century_sex,
                dob.year() % 100,
                id_serial % 1_000_000
            );
            let (group, chapter, article) =
                *pick_weighted(&mut rng, &OFFENCES.iter().map(|(g, c, a, w)| ((*g, *c, *a), *w)).collect::<Vec<_>>());
            let roll: u32 = rng.gen_range(0..100);
            let (kind, months) = match roll {
                0..=3 => ("suspended", None),
                4..=6 => ("non_custodial_reform", None),
                7 => ("life", None),
                _ => ("imprisonment", Some(rng.gen_range(6..=144))),
            };
            let custodial = matches!(kind, "imprisonment" | "life");
            let release_type = match rng.gen_range(0..100) {
                _ if !custodial => None,
                0..=79 => Some("completed_sentence"),
                80..=91 => Some("special_amnesty"),
                _ => Some("conditional_early_release"),
            };
            let judgment = release - Days::new(months.unwrap_or(24) as u64 * 30 + rng.gen_range(30..200));
            let principal = match kind {
                "suspended" => PrincipalPenalty::Suspended,
                "non_custodial_reform" => PrincipalPenalty::NonCustodialReform,
                "life" => PrincipalPenalty::Life,
                _ => PrincipalPenalty::Imprisonment { months: months.unwrap_or(12) as u32 },
            };
            // Crime category (Art. 9) from the penalty, roughly; every demo crime is intentional.
            let (category, rule_category) = match (kind, months) {
                ("life", _) => ("especially_serious", CrimeCategory::EspeciallySerious),
                (_, None) => ("less_serious", CrimeCategory::LessSerious),
                (_, Some(m)) if m <= 36 => ("serious", CrimeCategory::Serious),
                (_, Some(m)) if m <= 120 => ("very_serious", CrimeCategory::VerySerious),
                _ => ("especially_serious", CrimeCategory::EspeciallySerious),
            };
            let forecast = expungement::forecast(
                &PersonFacts { date_of_birth: Some(dob), ..Default::default() },
                &[ConvictionFacts {
                    chapter: chapter as u8,
                    principal,
                    principal_completed_on: Some(release),
                    judgment_date: judgment,
                    offence_date: Some(judgment),
                    crime_category: Some(rule_category),
                    culpability: Some(Culpability::Intentional),
                    release_date: Some(release),
                    ..Default::default()
                }],
                opts.today,
            );
            let track = match forecast.track {
                expungement::Track::Automatic => "automatic",
                expungement::Track::CourtDecision => "court_decision",
                expungement::Track::NoRecord => "no_record",
            };
            // Lifecycle: notice ~60 days before release, reception a few days after, then management.
            let notice_on = release - Days::new(60);
            let received_on = release + Days::new(rng.gen_range(0..8));
            let managed_on = received_on + Days::new(rng.gen_range(0..5));
            let exit_roll: u32 = rng.gen_range(0..100);
            let (status, exit_on) = if received_on > opts.today {
                ("expected", None)
            } else if managed_on > opts.today {
                ("received", None)
            } else {
                let span = (opts.today - managed_on).num_days().max(1) as u64;
                let when = managed_on + Days::new(rng.gen_range(0..span));
                match exit_roll {
                    0..=59 => ("under_management", None),
                    60..=69 if forecast.earliest_date.is_some_and(|d| d <= opts.today) => {
                        ("expunged", forecast.earliest_date)
                    }
                    70..=74 => ("reoffended", Some(when)),
                    75..=77 => ("law_violation", Some(when)),
                    78..=81 => ("absconded", Some(when)),
                    82..=84 => ("deceased", Some(when)),
                    _ => ("under_management", None),
                }
            };
            let id = uuid::Builder::from_random_bytes(rng.gen()).into_uuid().to_string();
            let juvenile = (received_on.year() - dob.year()) < 18;
            let late = release_type == Some("conditional_early_release") && received_on > release + Days::new(5);
            let active = matches!(status, "expected" | "received" | "under_management");
            let classification = ["a", "b", "c", "d"][rng.gen_range(0..4)];
            let employment = ["stable", "unstable", "unemployed"][rng.gen_range(0..3)];
            let village = VILLAGES[rng.gen_range(0..VILLAGES.len())];
            let last_contact = (status == "under_management").then(|| opts.today - Days::new(rng.gen_range(0..120)));
            let status_since = exit_on.unwrap_or(match status {
                "expected" => notice_on,
                "received" => received_on,
                _ => managed_on,
            });
            let certificate = release_type.map(|_| format!("{}/GCN", rng.gen_range(1..9999)));
            persons.push(format!(
                "({id}, {name}, NULL, {search}, {gender}, {dob}, {idn}, 'Kinh', 'vietnamese', NULL, NULL, {unit}, {province}, {village}, NULL, '9/12', {occ}, NULL, \
                 {status}, '{status_since}', {active}, {rel}, {rtype}, {cert}, {certd}, {prob}, {group}, {recv}, 'Cán bộ tiếp nhận', {yes}, {file}, {managed}, \
                 {juv}, {late}, {class}, {focus}, {emp}, {track}, {due}, {xstatus}, {xdate}, NULL, NULL, NULL, '{now}', '{now}', 1, {contact}, NULL)",
                id = q(&id),
                name = q(&name),
                search = q(&crate::db::persons::search_text(&name, None, Some(&id_number))),
                gender = q(if female { "female" } else { "male" }),
                dob = qd(Some(dob)),
                idn = q(&id_number),
                unit = q(&unit),
                province = q(&province),
                village = q(village),
                occ = q(OCCUPATIONS[rng.gen_range(0..OCCUPATIONS.len())]),
                status = q(status),
                active = sql.b(active),
                rel = if release_type.is_some() { qd(Some(release)) } else { "NULL".into() },
                rtype = qo(release_type),
                cert = qo(certificate.as_deref()),
                certd = if release_type.is_some() { qd(Some(release)) } else { "NULL".into() },
                prob = if release_type == Some("conditional_early_release") { qd(Some(release + Days::new(rng.gen_range(90..900)))) } else { "NULL".into() },
                group = q(group),
                recv = if status == "expected" { "NULL".into() } else { qd(Some(received_on)) },
                yes = sql.b(true),
                file = if matches!(status, "expected" | "received") { "NULL".into() } else { q(&format!("HS-{}", id_serial)) },
                managed = if matches!(status, "expected" | "received") { "NULL".into() } else { qd(Some(managed_on)) },
                juv = sql.b(juvenile),
                late = sql.b(late),
                class = if status == "expected" { "NULL".into() } else { q(classification) },
                focus = sql.b(classification == "d"),
                emp = q(employment),
                track = q(track),
                due = qd(forecast.earliest_date),
                xstatus = q(if status == "expunged" { "expunged" } else { "none" }),
                xdate = if status == "expunged" { qd(exit_on) } else { "NULL".into() },
                contact = qd(last_contact),
            ));
            convictions.push(format!(
                "({cid}, {pid}, {judg}, 'Tòa án nhân dân', '{jd}', {art}, {group}, {chapter}, {kind}, {months}, '[]', '[]', 'Trại giam', {done}, {rel}, {rtype}, {cert}, {certd}, NULL, {no}, '{now}', '{now}', 1, '{jd}', '{category}', 'intentional')",
                cid = q(&uuid::Builder::from_random_bytes(rng.gen()).into_uuid().to_string()),
                pid = q(&id),
                judg = q(&format!("{}/{}/HS-ST", id_serial % 500 + 1, judgment.year())),
                jd = judgment,
                art = q(article),
                group = q(group),
                kind = q(kind),
                months = months.map(|m| m.to_string()).unwrap_or_else(|| "NULL".into()),
                done = qd(Some(release)),
                rel = if release_type.is_some() { qd(Some(release)) } else { "NULL".into() },
                rtype = qo(release_type),
                cert = qo(certificate.as_deref()),
                certd = if release_type.is_some() { qd(Some(release)) } else { "NULL".into() },
                no = sql.b(false),
            ));
            let mut steps = vec![(None, "expected", notice_on)];
            if status != "expected" {
                steps.push((Some("expected"), "received", received_on));
                if status != "received" {
                    steps.push((Some("received"), "under_management", managed_on));
                    if let Some(on) = exit_on {
                        steps.push((Some("under_management"), status, on.max(managed_on)));
                    }
                }
            }
            for (seq, (from, to, on)) in steps.into_iter().enumerate() {
                history.push(format!(
                    "({hid}, {pid}, {seq}, {from}, {to}, '{on}', {unit}, {province}, NULL, NULL, 'demo-data', '{now}')",
                    hid = q(&uuid::Builder::from_random_bytes(rng.gen()).into_uuid().to_string()),
                    pid = q(&id),
                    seq = seq + 1,
                    from = qo(from),
                    to = q(to),
                    unit = q(&unit),
                    province = q(&province),
                ));
            }
            if !matches!(status, "expected" | "received") {
                let end = exit_on.unwrap_or(opts.today).max(managed_on);
                let person = DemoPerson {
                    id: &id,
                    unit: &unit,
                    province: &province,
                    received_on,
                    managed_on,
                    end,
                    classification,
                    employment,
                    loan_ok: matches!(release_type, Some("completed_sentence" | "special_amnesty"))
                        && exit_on.is_none(),
                };
                person_extras(&mut rng, &sql, &now, opts.today, &person, &mut extras, &mut lists);
                if status == "under_management" {
                    let members = participants.entry(unit.clone()).or_default();
                    if members.len() < 5 {
                        members.push(id.clone());
                    }
                }
            }
        }
        stats.persons += persons.len();
        stats.convictions += convictions.len();
        stats.history_rows += history.len();
        db::write_tx(conn, |conn| {
            diesel::sql_query(format!(
                "INSERT INTO persons (id, full_name, other_names, search_text, gender, date_of_birth, id_number, ethnicity, nationality, country, phone, unit_code, province_code, village, address_line, education, occupation, family_situation, \
                 status, status_since, active, release_date, release_type, release_certificate_number, release_certificate_date, probation_end, offence_group, received_on, receiving_officer, commitment_signed, management_file_number, management_started_on, \
                 juvenile, late_reception, classification, needs_focus, employment_status, expungement_track, expungement_due_on, expungement_status, expungement_decided_on, expungement_basis, judicial_record_number, judicial_record_issuer, created_at, updated_at, version, last_contact_on, last_check_in_on) VALUES {}",
                persons.join(", ")
            ))
            .execute(conn)?;
            diesel::sql_query(format!(
                "INSERT INTO convictions (id, person_id, judgment_number, court, judgment_date, offence_articles, offence_group, chapter, principal_kind, principal_months, supplementary, obligations, detention_facility, sentence_completed_on, release_date, release_type, certificate_number, certificate_date, probation_end, new_offence, created_at, updated_at, version, offence_date, crime_category, culpability) VALUES {}",
                convictions.join(", ")
            ))
            .execute(conn)?;
            diesel::sql_query(format!(
                "INSERT INTO person_status_history (id, person_id, seq, from_status, to_status, occurred_on, unit_code, province_code, reason, details, actor_sub, recorded_at) VALUES {}",
                history.join(", ")
            ))
            .execute(conn)?;
            let e = &extras;
            stats.attribute_changes += insert(conn, "person_attribute_changes", "id, person_id, attribute, value, changed_on, reason, actor_sub, recorded_at", &e.attributes)?;
            stats.activities += insert(conn, "activities", "id, person_id, unit_code, province_code, kind, legal_sub_kind, occurred_on, group_session_id, author_sub, author_name, place, notes, outcome, next_follow_up_on, deleted, deleted_reason, created_at, updated_at, version, prev_kind_on, prev_family_on", &e.activities)?;
            stats.trainings += insert(conn, "trainings", "id, person_id, unit_code, province_code, course, provider, level, start_date, end_date, result, certificate, created_at", &e.trainings)?;
            stats.referrals += insert(conn, "job_referrals", "id, person_id, unit_code, province_code, employer_id, employer_name, referred_on, job, outcome, outcome_on, created_at, updated_at, version", &e.referrals)?;
            stats.assistance += insert(conn, "social_assistance", "id, person_id, unit_code, province_code, kind, decision_number, amount_vnd, period_from, period_to, created_at", &e.assistance)?;
            insert(conn, "loan_lists", "id, unit_code, province_code, month, version_no, status, supersedes_id, certified_decision_number, certified_on, sent_on, acknowledged_on, created_by, created_at, updated_at, version", &e.lists)?;
            insert(conn, "loan_list_entries", "id, list_id, person_id, purpose, amount_wished_vnd, note", &e.entries)?;
            stats.loans += insert(conn, "loans", LOAN_COLUMNS, &e.loans)?;
            stats.postings += insert(conn, "loan_postings", "id, loan_id, kind, principal_vnd, interest_vnd, value_date, bank_reference, actor_sub, created_at", &e.postings)?;
            stats.judicial_record_requests += insert(conn, "judicial_record_requests", "id, person_id, requested_on, purpose, outcome, certificate_number, issued_on, issuer, created_at", &e.judicial)?;
            stats.other_programme_loans += e.other_programme_loans;
            Ok::<_, diesel::result::Error>(())
        })
        .map_err(|e| format!("insert failed: {e}"))?;
        done += n;
    }
    communes_extras(conn, &mut rng, &sql, &now, opts.today, &participants, &mut stats)?;
    // Its own generator: the persons and communes above stay as they were for a seed.
    let mut facility_rng = StdRng::seed_from_u64(opts.seed ^ 0xFAC1_117E);
    facility_extras(conn, &mut facility_rng, &now, opts.today, &participants, &mut stats)?;
    if sql.backend == Backend::Postgres {
        let _ = diesel::sql_query("ANALYZE").execute(conn);
    }
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

const LOAN_COLUMNS: &str =
    "id, unit_code, province_code, borrower_kind, person_id, household_rep_name, household_rep_id_number, \
    establishment_name, establishment_registration, workforce, qualifying_employees, plan_certified, collateral, \
    collateral_description, outstanding_same_purpose, purpose, course_name, course_months, amount_vnd, term_months, \
    entrusting_organisation, savings_group, application_date, status, status_reason, approved_amount_vnd, approved_on, \
    rate_bp, due_on, disbursed_total_vnd, principal_repaid_vnd, interest_paid_vnd, created_at, updated_at, version, \
    programme, programme_name";

struct DemoPerson<'a> {
    id: &'a str,
    unit: &'a str,
    province: &'a str,
    received_on: NaiveDate,
    managed_on: NaiveDate,
    /// Last day under management (exit or today).
    end: NaiveDate,
    classification: &'a str,
    employment: &'a str,
    loan_ok: bool,
}

fn day_in(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0) as u64;
    from + Days::new(rng.gen_range(0..=span))
}

/// Dated attributes, about ten activities, and sometimes training, a job referral, social
/// assistance and a loan (listed, applied, and in any state from rejected to settled).
fn person_extras(
    rng: &mut StdRng,
    sql: &Sql,
    now: &str,
    today: NaiveDate,
    p: &DemoPerson<'_>,
    out: &mut Extras,
    lists: &mut std::collections::HashMap<(String, String), String>,
) {
    let (pid, unit, province) = (q(p.id), q(p.unit), q(p.province));
    for (attribute, value) in [
        ("classification", p.classification),
        ("employment_status", p.employment),
        ("needs_focus", if p.classification == "d" { "true" } else { "false" }),
    ] {
        out.attributes.push(format!(
            "({}, {pid}, '{attribute}', '{value}', '{}', 'demo-data', 'demo-data', '{now}')",
            q(&uid(rng)),
            p.received_on
        ));
    }
    let mut acts: Vec<(NaiveDate, String, &str, Option<&str>)> = (0..rng.gen_range(5..=15))
        .map(|_| {
            let kind = *pick_weighted(rng, ACTIVITY_KINDS);
            let sub = (kind == "legal_support").then(|| LEGAL_SUB_KINDS[rng.gen_range(0..LEGAL_SUB_KINDS.len())]);
            (day_in(rng, p.managed_on, p.end), uid(rng), kind, sub)
        })
        .collect();
    // The previous same-kind and same-family days, as `refresh_activity_order` would set them
    // (computed here so a bulk load does not rewrite every row afterwards).
    acts.sort();
    fn family(k: &str) -> &str {
        if matches!(k, "counselling_individual" | "counselling_group") {
            "counselling"
        } else {
            k
        }
    }
    for (i, (on, id, kind, sub)) in acts.iter().enumerate() {
        let before = &acts[..i];
        let prev_kind = before.iter().rev().find(|a| a.2 == *kind && a.3 == *sub).map(|a| a.0);
        let prev_family = before.iter().rev().find(|a| family(a.2) == family(kind)).map(|a| a.0);
        out.activities.push(format!(
            "({}, {pid}, {unit}, {province}, '{kind}', {}, '{on}', NULL, 'demo-data', 'Cán bộ', NULL, NULL, NULL, NULL, {}, NULL, '{now}', '{now}', 1, {}, {})",
            q(id),
            qo(*sub),
            sql.b(false),
            qd(prev_kind),
            qd(prev_family)
        ));
    }
    if rng.gen_bool(0.2) {
        let start = day_in(rng, p.managed_on, p.end);
        let end = start + Days::new(90);
        out.trainings.push(format!(
            "({}, {pid}, {unit}, {province}, 'Sửa chữa xe máy', 'Trung tâm GDNN', 'under_3_months', '{start}', {}, NULL, NULL, '{now}')",
            q(&uid(rng)),
            qd((end <= today).then_some(end))
        ));
    }
    if rng.gen_bool(0.15) {
        let on = day_in(rng, p.managed_on, p.end);
        let hired_on = on + Days::new(rng.gen_range(3..30));
        let hired = rng.gen_bool(0.6) && hired_on <= today;
        out.referrals.push(format!(
            "({}, {pid}, {unit}, {province}, NULL, 'Công ty TNHH May', '{on}', 'công nhân', '{}', {}, '{now}', '{now}', 1)",
            q(&uid(rng)),
            if hired { "hired" } else { "pending" },
            qd(hired.then_some(hired_on))
        ));
    }
    if rng.gen_bool(0.08) {
        out.assistance.push(format!(
            "({}, {pid}, {unit}, {province}, 'monthly_allowance', NULL, {}, '{}', NULL, '{now}')",
            q(&uid(rng)),
            rng.gen_range(3..10) * 100_000,
            day_in(rng, p.managed_on, p.end)
        ));
    }
    if rng.gen_bool(0.1) {
        // A judicial-record certificate requested at the justice office, mostly issued.
        let requested = day_in(rng, p.managed_on, p.end);
        let issued_on = requested + Days::new(rng.gen_range(3..15));
        let issued = rng.gen_bool(0.8) && issued_on <= today;
        out.judicial.push(format!(
            "({}, {pid}, '{requested}', 'Xin việc làm', '{}', {}, {}, {}, '{now}')",
            q(&uid(rng)),
            if issued { "issued" } else { "pending" },
            if issued { q(&format!("LLTP-{}", rng.gen_range(1000..99999))) } else { "NULL".into() },
            qd(issued.then_some(issued_on)),
            if issued { q("Sở Tư pháp") } else { "NULL".into() }
        ));
    }
    if rng.gen_bool(0.06) {
        // A loan of another Social Policy Bank programme: no Decision 22 list, disbursed.
        const PROGRAMMES: &[(&str, &str, i64)] = &[
            ("poor_households", "NULL", 50_000_000),
            ("near_poor_households", "NULL", 50_000_000),
            ("job_creation", "NULL", 80_000_000),
            ("clean_water_sanitation", "NULL", 20_000_000),
            ("student_loans", "NULL", 30_000_000),
            ("other", "'Cho vay nhà ở xã hội'", 100_000_000),
        ];
        let (programme, name, amount) = PROGRAMMES[rng.gen_range(0..PROGRAMMES.len())];
        let applied = day_in(rng, p.managed_on.max(today - Days::new(1095)), today);
        let approved_on = (applied + Days::new(rng.gen_range(5..20))).min(today);
        let disbursed_on = (approved_on + Days::new(rng.gen_range(1..10))).min(today);
        let loan_id = uid(rng);
        out.loans.push(format!(
            "({}, {unit}, {province}, 'person', {pid}, 'Người thân', NULL, NULL, NULL, NULL, NULL, {f}, {f}, NULL, {f}, 'production_business', NULL, NULL, \
             {amount}, 36, 'farmers', 'Tổ TK&VV', '{applied}', 'disbursed', NULL, {amount}, '{approved_on}', 660, {}, {amount}, 0, 0, '{now}', '{now}', 1, '{programme}', {name})",
            q(&loan_id),
            qd(approved_on.checked_add_months(chrono::Months::new(36))),
            f = sql.b(false),
        ));
        out.postings.push(format!(
            "({}, {}, 'disbursement', {amount}, 0, '{disbursed_on}', {}, 'demo-data', '{now}')",
            q(&uid(rng)),
            q(&loan_id),
            q(&format!("DEMO-{}", uid(rng)))
        ));
        out.other_programme_loans += 1;
    }
    if p.loan_ok && rng.gen_bool(0.14) {
        let applied = day_in(rng, p.managed_on.max(today - Days::new(1095)), today);
        let month = format!("{:04}-{:02}", applied.year(), applied.month());
        let list_id = match lists.get(&(p.unit.to_string(), month.clone())) {
            Some(id) => id.clone(),
            None => {
                let id = uid(rng);
                let first = NaiveDate::from_ymd_opt(applied.year(), applied.month(), 1).unwrap_or(applied);
                out.lists.push(format!(
                    "({}, {unit}, {province}, '{month}', 1, 'acknowledged', NULL, 'QĐ-UBND', '{first}', '{first}', '{first}', 'demo-data', '{now}', '{now}', 1)",
                    q(&id)
                ));
                lists.insert((p.unit.to_string(), month), id.clone());
                id
            }
        };
        let amount: i64 = rng.gen_range(2..=10) * 10_000_000;
        out.entries.push(format!("({}, {}, {pid}, 'production_business', {amount}, NULL)", q(&uid(rng)), q(&list_id)));
        let roll = rng.gen_range(0..100);
        let status = match roll {
            0..=9 => "submitted",
            10..=14 => "rejected",
            15..=24 => "approved",
            25..=59 => "disbursed",
            60..=84 => "repaying",
            85..=91 => "overdue",
            _ => "settled",
        };
        let approved = !matches!(status, "submitted" | "rejected");
        let approved_on = (applied + Days::new(rng.gen_range(5..20))).min(today);
        let disbursed_on = (approved_on + Days::new(rng.gen_range(1..10))).min(today);
        let disbursed = matches!(status, "disbursed" | "repaying" | "overdue" | "settled");
        let repaid = match status {
            "repaying" | "overdue" => amount / 10 * rng.gen_range(1..5),
            "settled" => amount,
            _ => 0,
        };
        let loan_id = uid(rng);
        out.loans.push(format!(
            "({lid}, {unit}, {province}, 'person', {pid}, 'Người thân', NULL, NULL, NULL, NULL, NULL, {f}, {f}, NULL, {f}, 'production_business', NULL, NULL, \
             {amount}, 36, 'womens_union', 'Tổ TK&VV', '{applied}', '{status}', NULL, {appr}, {appr_on}, {rate}, {due}, {disb}, {repaid}, 0, '{now}', '{now}', 1, 'decision_22', NULL)",
            lid = q(&loan_id),
            f = sql.b(false),
            appr = if approved { amount.to_string() } else { "NULL".into() },
            appr_on = if approved { qd(Some(approved_on)) } else { "NULL".into() },
            rate = if approved { "660" } else { "NULL" },
            due = if approved { qd(approved_on.checked_add_months(chrono::Months::new(36))) } else { "NULL".into() },
            disb = if disbursed { amount } else { 0 },
        ));
        if disbursed {
            out.postings.push(format!(
                "({}, {}, 'disbursement', {amount}, 0, '{disbursed_on}', {}, 'demo-data', '{now}')",
                q(&uid(rng)),
                q(&loan_id),
                q(&format!("DEMO-{}", uid(rng)))
            ));
            if repaid > 0 {
                let paid_on = day_in(rng, disbursed_on, today);
                out.postings.push(format!(
                    "({}, {}, 'repayment', {repaid}, {}, '{paid_on}', {}, 'demo-data', '{now}')",
                    q(&uid(rng)),
                    q(&loan_id),
                    repaid / 20,
                    q(&format!("DEMO-{}", uid(rng)))
                ));
            }
        }
    }
}
