//! Reports: a district-scale history built through the API, every indicator checked against
//! figures the test computes from its own ledger of what it did; targets, the report
//! workflow, consolidation and exports.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use futures_util::future::join_all;
use rand::{rngs::StdRng, Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};

use crate::dual;
use crate::fixtures::*;
use crate::helpers::*;

mod document_figures;
mod indicators;
mod ledger;
mod life;
mod national;
mod outcomes;
mod plan;
mod workflow;

use self::ledger::*;
use self::life::*;
use self::plan::*;

const A: &str = "00070"; // Phường Hoàn Kiếm, Hà Nội (01)
const B: &str = "00073"; // Phường Cửa Nam, Hà Nội (01)
const X: &str = "24829"; // Phường B'Lao, Lâm Đồng (68)

fn province_of(unit: &str) -> &'static str {
    if unit == X {
        "68"
    } else {
        "01"
    }
}

fn in_scope(unit: &str, scope: &str) -> bool {
    match scope.len() {
        _ if scope == "VN" => true,
        2 => province_of(unit) == scope,
        _ => unit == scope,
    }
}

fn d(n: i64) -> NaiveDate {
    today() - Duration::days(n)
}

/// The past period most checks use (history path for attributes), and its boundaries.
fn p1() -> (NaiveDate, NaiveDate) {
    (d(400), d(150))
}
pub(super) struct Tokens {
    pub(super) police: String,
    pub(super) justice: String,
    pub(super) labour: String,
}
