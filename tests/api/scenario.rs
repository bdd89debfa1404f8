//! Issue 22, the reference scenario: five years (2020-2024) of one commune's facts
//! (registrations, receptions, management, activities, expungements, loans) entered in date
//! order in one commune and in a shuffled order in another commune give the same indicators.

use chrono::{Duration, NaiveDate};
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

const IN_ORDER: &str = "00070"; // Phường Hoàn Kiếm, Hà Nội (01)
const SHUFFLED: &str = "00073"; // Phường Cửa Nam, Hà Nội (01)

/// One fact of the scenario; `who` is the person (or loan) it belongs to.
#[derive(Clone, Debug)]
enum Fact {
    /// Registration (with its conviction), reception and start of management: the API
    /// needs them in this order, so they stay one chain.
    Register {
        who: usize,
        on: NaiveDate,
        male: bool,
    },
    Receive {
        who: usize,
        on: NaiveDate,
    },
    Manage {
        who: usize,
        on: NaiveDate,
    },
    Activity {
        who: usize,
        on: NaiveDate,
        kind: &'static str,
    },
    Expunge {
        who: usize,
        on: NaiveDate,
    },
    Apply {
        who: usize,
        on: NaiveDate,
        amount: i64,
    },
    Submit {
        who: usize,
        on: NaiveDate,
    },
    Certify {
        who: usize,
        on: NaiveDate,
    },
    Approve {
        who: usize,
        on: NaiveDate,
        amount: i64,
    },
    Disburse {
        who: usize,
        on: NaiveDate,
        amount: i64,
    },
}

impl Fact {
    fn on(&self) -> NaiveDate {
        match self {
            Fact::Register { on, .. }
            | Fact::Receive { on, .. }
            | Fact::Manage { on, .. }
            | Fact::Activity { on, .. }
            | Fact::Expunge { on, .. }
            | Fact::Apply { on, .. }
            | Fact::Submit { on, .. }
            | Fact::Certify { on, .. }
            | Fact::Approve { on, .. }
            | Fact::Disburse { on, .. } => *on,
        }
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Per person and per loan: a chain that must be entered in order, then facts dated in the
/// past of the chain's end that may come in any order (activities, the expungement).
struct Story {
    chain: Vec<Fact>,
    free: Vec<Fact>,
}

const PERSONS: usize = 7;
const LOANS: usize = 2;

fn scenario(rng: &mut StdRng) -> Vec<Story> {
    let mut stories = Vec::new();
    for who in 0..PERSONS {
        let registered = d(2020, 1, 6) + Duration::days(rng.gen_range(0..1300));
        let received = registered + Duration::days(20 + rng.gen_range(0..5));
        let managed = received + Duration::days(2);
        let expunged = managed + Duration::days(rng.gen_range(400..700));
        let expunge = rng.gen_bool(0.6) && expunged <= d(2024, 12, 20);
        let last = if expunge { expunged } else { d(2024, 12, 31) };
        let mut free = Vec::new();
        for _ in 0..rng.gen_range(2..5) {
            let span = (last - managed).num_days() - 2;
            let on = managed + Duration::days(1 + rng.gen_range(0..span));
            let kind = ["home_visit", "counselling_individual", "check_in"][rng.gen_range(0..3)];
            free.push(Fact::Activity { who, on, kind });
        }
        if expunge {
            free.push(Fact::Expunge { who, on: expunged });
        }
        stories.push(Story {
            chain: vec![
                Fact::Register { who, on: registered, male: rng.gen_bool(0.7) },
                Fact::Receive { who, on: received },
                Fact::Manage { who, on: managed },
            ],
            free,
        });
    }
    for who in 0..LOANS {
        // Decision 22/2023/QĐ-TTg loans (rate in force from 2023-10-10).
        let applied = d(2023, 10, 12) + Duration::days(rng.gen_range(0..300));
        let amount = 10_000_000 * rng.gen_range(2..6);
        stories.push(Story {
            chain: vec![
                Fact::Apply { who, on: applied, amount },
                Fact::Submit { who, on: applied + Duration::days(5) },
                Fact::Certify { who, on: applied + Duration::days(12) },
                Fact::Approve { who, on: applied + Duration::days(30), amount },
                Fact::Disburse { who, on: applied + Duration::days(40), amount },
            ],
            free: Vec::new(),
        });
    }
    stories
}

/// All facts by date (the chains are dated in their own order, so they stay in it).
fn in_date_order(stories: &[Story]) -> Vec<Fact> {
    let mut all: Vec<Fact> = stories.iter().flat_map(|s| s.chain.iter().chain(&s.free).cloned()).collect();
    all.sort_by_key(Fact::on);
    all
}

/// A random interleaving: each story's chain in its order, its free facts shuffled and
/// entered after the chain, and the stories mixed with one another.
fn shuffled(stories: &[Story], rng: &mut StdRng) -> Vec<Fact> {
    let mut queues: Vec<Vec<Fact>> = stories
        .iter()
        .map(|s| {
            let mut free = s.free.clone();
            free.shuffle(rng);
            let mut q: Vec<Fact> = s.chain.iter().cloned().chain(free).collect();
            q.reverse();
            q
        })
        .collect();
    let mut out = Vec::new();
    loop {
        let open: Vec<usize> = (0..queues.len()).filter(|&i| !queues[i].is_empty()).collect();
        let Some(&i) = open.choose(rng) else { break };
        out.push(queues[i].pop().unwrap());
    }
    out
}

struct Actors {
    police: String,
    committee: String,
    bank: String,
    justice: String,
}

/// Enters `facts` into `unit`; ids are kept per person and per loan.
async fn enter(app: &TestApp, t: &Actors, unit: &str, facts: &[Fact]) {
    let mut persons = vec![String::new(); PERSONS];
    let mut loans = vec![String::new(); LOANS];
    let tag = if unit == IN_ORDER { 1 } else { 2 };
    for fact in facts {
        let on = fact.on().to_string();
        match fact {
            Fact::Register { who, male, .. } => {
                let body = json!({"full_name": format!("Người Kịch Bản {who}"), "gender": if *male { "male" } else { "female" },
                                  "date_of_birth": "1984-04-04", "id_number": format!("001{}84{tag}{:05}", if *male { 0 } else { 1 }, 100 + who),
                                  "unit": unit, "registered_on": on});
                let p = ok(app.post("/api/v1/persons", &t.police, &body).await, "register").await;
                let id = p["id"].as_str().unwrap().to_string();
                // Released 20+ days after the registration, serious and negligent so the
                // justice office may record the expungement on any date (BLHS Art. 69(2)).
                let release = fact.on() + Duration::days(18);
                let c = json!({"judgment_number": format!("{who}/2019/HS-ST"), "court": "TAND",
                               "judgment_date": (release - Duration::days(400)).to_string(),
                               "offence_articles": ["173"], "offence_group": "theft", "chapter": 16,
                               "principal": {"kind": "imprisonment", "months": 12},
                               "release_date": release.to_string(), "release_type": "completed_sentence",
                               "certificate_number": "12/GCN", "certificate_date": release.to_string(),
                               "crime_category": "serious", "culpability": "negligent"});
                ok(app.post(&format!("/api/v1/persons/{id}/convictions"), &t.police, &c).await, "conviction").await;
                persons[*who] = id;
            }
            Fact::Receive { who, .. } => {
                receive(app, &t.police, &persons[*who], &on).await;
            }
            Fact::Manage { who, .. } => {
                start_management(app, &t.police, &persons[*who], &on, &format!("HS-{tag}-{who}")).await;
            }
            Fact::Activity { who, kind, .. } => {
                let body = json!({"kind": kind, "occurred_on": on});
                let path = format!("/api/v1/persons/{}/activities", persons[*who]);
                ok(app.post(&path, &t.police, &body).await, "activity").await;
            }
            Fact::Expunge { who, .. } => {
                expunge(app, &t.justice, &persons[*who], &on).await;
            }
            Fact::Apply { who, amount, .. } => {
                let body = json!({"borrower_kind": "establishment", "unit": unit, "establishment_name": format!("HTX Đồng Tâm {who}"),
                                  "establishment_registration": format!("01012345{who}{tag}"), "workforce": 10,
                                  "qualifying_employees": 5, "plan_certified": true, "purpose": "production_business",
                                  "amount_vnd": amount, "term_months": 36, "application_date": on});
                let l = ok(app.post("/api/v1/loans", &t.police, &body).await, "loan").await;
                loans[*who] = l["id"].as_str().unwrap().to_string();
            }
            Fact::Submit { who, .. } => {
                let path = format!("/api/v1/loans/{}/submit", loans[*who]);
                ok(app.post(&path, &t.police, &json!({"on": on})).await, "submit").await;
            }
            Fact::Certify { who, .. } => {
                let path = format!("/api/v1/loans/{}/certify", loans[*who]);
                ok(app.post(&path, &t.committee, &json!({"on": on})).await, "certify").await;
            }
            Fact::Approve { who, amount, .. } => {
                let path = format!("/api/v1/loans/{}/approve", loans[*who]);
                let body = json!({"approved_amount_vnd": amount, "approved_on": on});
                ok(app.post(&path, &t.bank, &body).await, "approve").await;
            }
            Fact::Disburse { who, amount, .. } => {
                let r = app
                    .request(Method::POST, &format!("/api/v1/loans/{}/disbursements", loans[*who]), &t.bank)
                    .header("idempotency-key", format!("scenario-{tag}-{who}"))
                    .json(
                        &json!({"amount_vnd": amount, "value_date": on, "bank_reference": format!("VBSP-{tag}{who}")}),
                    )
                    .send()
                    .await
                    .unwrap();
                ok(r, "disburse").await;
            }
        }
    }
}

async fn five_years_in_any_order(app: TestApp) {
    let (_, police) = app.account("ca.kich-ban", &["police"], "01").await;
    let (_, committee) = app.account("ub.kich-ban", &["commune_committee"], "01").await;
    let (_, bank) = app.account("nhcs.kich-ban", &["bank"], "01").await;
    let (_, justice) = app.account("tp.kich-ban", &["justice"], "VN").await;
    let t = Actors { police, committee, bank, justice };
    let mut rng = StdRng::seed_from_u64(2022);
    let stories = scenario(&mut rng);
    let ordered = in_date_order(&stories);
    let mixed = shuffled(&stories, &mut rng);
    assert_eq!(ordered.len(), mixed.len());
    // The mix really is out of date order.
    assert!(mixed.windows(2).filter(|w| w[0].on() > w[1].on()).count() > 5);
    // Some activities come in after their person's expungement (records entered after the exit).
    let after_exit = mixed
        .iter()
        .enumerate()
        .filter(|(i, f)| match f {
            Fact::Activity { who, .. } => {
                mixed[..*i].iter().any(|g| matches!(g, Fact::Expunge { who: w, .. } if w == who))
            }
            _ => false,
        })
        .count();
    assert!(after_exit > 0, "the seed gives no activity entered after an expungement");
    enter(&app, &t, IN_ORDER, &ordered).await;
    enter(&app, &t, SHUFFLED, &mixed).await;

    let periods: Vec<(String, String)> = (2020..=2024)
        .map(|y| (format!("{y}-01-01"), format!("{y}-12-31")))
        .chain([("2020-01-01".to_string(), "2024-12-31".to_string())])
        .collect();
    let mut whole = Value::Null;
    for (from, to) in &periods {
        let get = |unit: &str| {
            let path = format!("/api/v1/reports/indicators?unit={unit}&from={from}&to={to}");
            let app = &app;
            let police = t.police.clone();
            async move { figures_of(&ok(app.get(&path, &police).await, &path).await) }
        };
        let (a, b) = (get(IN_ORDER).await, get(SHUFFLED).await);
        assert_eq!(a, b, "{from}..{to}: date order (left) and shuffled order (right) differ");
        whole = a;
    }
    // Not vacuous: the whole period sees every fact of the scenario.
    let expunged = stories.iter().flat_map(|s| &s.free).filter(|f| matches!(f, Fact::Expunge { .. })).count();
    assert!(expunged > 0);
    assert_eq!(whole["received"]["total"], PERSONS as i64, "{whole}");
    assert_eq!(whole["managed"]["files_opened"], PERSONS as i64, "{whole}");
    assert_eq!(whole["exits"]["expunged"], expunged as i64, "{whole}");
    assert_eq!(whole["loans"]["applications"], LOANS as i64, "{whole}");
    assert_eq!(whole["loans"]["disbursed_loans"], LOANS as i64, "{whole}");
    assert!(!whole["support"]["activities"].as_array().unwrap().is_empty(), "{whole}");
}

dual!(five_years_in_any_order);
