//! SQLite's choice of where a search starts. PostgreSQL's planner has the statistics to
//! choose alone; SQLite's cannot tell a common word from a rare one, so its search asks the
//! FTS index (or the ID-number btree) first, and the answer picks the plan.

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::{in_one_unit, narrower, unit_terms, ListFilter, Search, Sort};
use crate::auth::Jurisdiction;
use crate::db::persons::PersonScope;
use crate::db::DbConnection;
use crate::error::ApiResult;

/// The unit predicate out of SQLite's index selection (`+`), with the unit's code: for the
/// plans that read the matches by key and check the unit on each ([`SqlitePlan::reads_by_key`]).
pub(super) fn unindexed_unit_predicate(reach: &Jurisdiction) -> Option<(&'static str, &String)> {
    match reach {
        Jurisdiction::National => None,
        Jurisdiction::Province(code) => Some(("+persons.province_code = ", code)),
        Jurisdiction::Commune(code) => Some(("+persons.unit_code = ", code)),
    }
}

/// How many matches make a list "many" for [`sqlite_walks_names`], as a multiple of the
/// exact-total threshold (1,000 by default: 5,000 matches).
const WALK_ABOVE_TOTAL_THRESHOLDS: i64 = 5;

/// Where SQLite starts a search (PostgreSQL's planner has the statistics to choose alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SqlitePlan {
    /// The planner's choice.
    Planner,
    /// A common word across the country: walk the name-order index, checking each entry
    /// against the matches, rather than read every match and sort ([`sqlite_walks_names`]).
    WalkNames,
    /// An ID-number prefix held by few persons, inside a unit: the ID-number btree's range,
    /// each entry checked against the unit, rather than the unit's name-order index
    /// ([`sqlite_reads_id_range`]).
    IdNumberRange,
    /// Words held by few persons of a unit: their matches from the FTS index, read by key,
    /// each checked against the unit, and sorted, rather than the unit's name-order index
    /// walked to find them ([`sqlite_plan_inside_unit`]).
    FewMatches,
    /// Words held by more persons of a unit, in name order: walk the unit's name-order index,
    /// which carries `search_text`, checking each entry's words
    /// ([`holds_words`](super::holds_words)), rather than build the list of the matches
    /// (thousands for a common word) to check it against. With
    /// the FTS index's count of the matches, up to the exact-total threshold and one.
    CheckWords(i64),
}

impl SqlitePlan {
    /// Whether the plan reads its rows by key from another index than the unit's, so the
    /// unit predicate must stay out of index selection.
    pub(super) fn reads_by_key(self) -> bool {
        matches!(self, SqlitePlan::IdNumberRange | SqlitePlan::FewMatches)
    }

    /// Whether the plan walks a name-order index for the order (a count needs none).
    pub(super) fn walks_names(self) -> bool {
        matches!(self, SqlitePlan::WalkNames | SqlitePlan::CheckWords(_))
    }
}

pub(super) fn sqlite_plan(conn: &mut DbConnection, scope: &PersonScope, f: &ListFilter) -> ApiResult<SqlitePlan> {
    if !matches!(conn, DbConnection::Sqlite(_)) || scope.purpose.is_some() {
        return Ok(SqlitePlan::Planner);
    }
    Ok(if sqlite_walks_names(conn, scope, f)? {
        SqlitePlan::WalkNames
    } else if sqlite_reads_id_range(conn, scope, f)? {
        SqlitePlan::IdNumberRange
    } else {
        sqlite_plan_inside_unit(conn, scope, f)?
    })
}

/// How many persons an ID-number prefix may match, across the country, for a search inside
/// a unit to read the prefix's range of the ID-number btree instead of the unit's persons.
const ID_RANGE_READ_UP_TO: i64 = 2_000;

/// SQLite, an ID-number prefix inside a province or commune: whether to read the prefix's
/// range of the ID-number btree (each entry's row checked against the unit and status, the
/// few matches sorted) rather than walk the unit's name-order index, reading the row of every
/// person of the unit to compare its ID number. SQLite prefers the unit's index because it
/// also gives the order; it cannot tell that a 6-digit prefix is rare, nor that `0` is in
/// every ID number. The btree counts the range first, covering, up to the bound.
fn sqlite_reads_id_range(conn: &mut DbConnection, scope: &PersonScope, f: &ListFilter) -> ApiResult<bool> {
    let Some(Search::IdNumberPrefix(digits)) = &f.q else { return Ok(false) };
    if !in_one_unit(scope, f) {
        return Ok(false);
    }
    let in_range = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM persons WHERE id_number >= ? AND id_number < ? LIMIT ?)",
    )
    .bind::<diesel::sql_types::Text, _>(digits)
    .bind::<diesel::sql_types::Text, _>(format!("{digits}:"))
    .bind::<BigInt, _>(ID_RANGE_READ_UP_TO + 1)
    .get_result::<Count>(conn)?;
    Ok(in_range.n <= ID_RANGE_READ_UP_TO)
}

/// How many matches inside a unit are "few" for [`sqlite_plan_inside_unit`], as a fraction
/// of the exact-total threshold (1,000 by default: 250 matches).
const FEW_MATCHES_PER_TOTAL_THRESHOLD: i64 = 4;

/// SQLite, a search by words inside a province or commune. The planner always walks the
/// unit's name-order index (it gives the order), checking each entry against the list of the
/// FTS matches. The FTS index counts the matches first, up to the exact-total threshold
/// (0.5–1 ms), and the plan follows the count:
/// - few (a quarter of the threshold): read them by key and sort them ([`SqlitePlan::FewMatches`]).
///   A rare word's first matches may lie deep in the unit's name order. In the `sqlite3` shell
///   on the 200,000-person data set, province 52, the first page with its count: `ly` 3.2 →
///   0.9 ms, `tran van` 4.1 → 1.1 ms; but reading and sorting `nguyen`'s 3,930 matches took
///   26 ms against the walk's 12, hence the bound.
/// - more, in name order, when the index holds every filter (its count is then the total):
///   walk, checking each entry's own words, and stop after the page, instead of building the
///   list of the matches (thousands for a common word) and walking on to count up to the
///   threshold ([`SqlitePlan::CheckWords`]). Through the service, 16 connections: `nguyen`
///   in the province 117–150 → 305–489 req/s, in the commune 199–258 → 385–612.
/// - otherwise (other filters, other orders) the planner's walk.
fn sqlite_plan_inside_unit(conn: &mut DbConnection, scope: &PersonScope, f: &ListFilter) -> ApiResult<SqlitePlan> {
    let Some(Search::Words(words)) = &f.q else { return Ok(SqlitePlan::Planner) };
    if words.is_empty() || !in_one_unit(scope, f) {
        return Ok(SqlitePlan::Planner);
    }
    let cap = f.exact_total_up_to.max(0);
    let matches = fts_count(conn, scope, f.unit.as_ref(), words, f.status.as_deref(), Some(cap + 1))?;
    Ok(if matches <= cap / FEW_MATCHES_PER_TOTAL_THRESHOLD {
        SqlitePlan::FewMatches
    } else if matches!(f.sort, Sort::FullName | Sort::FullNameDesc) && index_holds_every_filter(f) {
        SqlitePlan::CheckWords(matches)
    } else {
        SqlitePlan::Planner
    })
}

/// SQLite, a search by words across the whole country in name order: whether to walk the
/// name-order index, checking each entry against the matches, instead of reading every
/// match and sorting them. SQLite's planner has no way to tell a common word from a rare
/// one, so the FTS index counts first (at most the threshold, 1–4 ms). Measured on the
/// 200,000-person data set, one query at a time: the walk takes 110 ms for `nguyen` (65,210
/// matches; the sort 180–235 ms) and 15 ms for `hoang` (8,646; 39–46 ms), but 54–62 ms for
/// `tran van` (1,742; 8–12 ms) and 16 ms for `ly` (857; 7 ms), whose first matches lie deep
/// in name order. A unit's search always walks the unit's own index (its matches are a
/// province's at most).
fn sqlite_walks_names(conn: &mut DbConnection, scope: &PersonScope, f: &ListFilter) -> ApiResult<bool> {
    let Some(Search::Words(words)) = &f.q else { return Ok(false) };
    let candidate = matches!(conn, DbConnection::Sqlite(_))
        && !words.is_empty()
        && scope.purpose.is_none()
        && matches!(f.sort, Sort::FullName | Sort::FullNameDesc)
        && matches!(narrower(&scope.jurisdiction, f.unit.as_ref()), Some(Jurisdiction::National));
    if !candidate {
        return Ok(false);
    }
    let many = f.exact_total_up_to.max(1).saturating_mul(WALK_ABOVE_TOTAL_THRESHOLDS);
    Ok(fts_count(conn, scope, f.unit.as_ref(), words, f.status.as_deref(), Some(many + 1))? > many)
}

/// SQLite: the count of a search from its FTS index alone (2 ms for 3,930 matches of
/// "nguyen" in a province, against 11 ms through `persons`), when the index holds every
/// filter: the words with the unit's own terms, the status, and a whole-unit scope.
/// `None` otherwise (the count goes through `persons`).
pub(super) fn search_index_count(
    conn: &mut DbConnection,
    scope: &PersonScope,
    f: &ListFilter,
    limit: Option<i64>,
) -> ApiResult<Option<i64>> {
    let Some(Search::Words(words)) = &f.q else { return Ok(None) };
    let counts_from_index = matches!(conn, DbConnection::Sqlite(_))
        && !words.is_empty()
        && scope.purpose.is_none()
        && narrower(&scope.jurisdiction, f.unit.as_ref()).is_some()
        && index_holds_every_filter(f);
    if !counts_from_index {
        return Ok(None);
    }
    Ok(Some(fts_count(conn, scope, f.unit.as_ref(), words, f.status.as_deref(), limit)?))
}

/// Whether `person_fts` holds every filter of the list besides the words, the unit and the
/// status (it holds no other), so that its count is the list's.
fn index_holds_every_filter(f: &ListFilter) -> bool {
    f.release_type.is_none()
        && f.offence_group.is_none()
        && f.classification.is_none()
        && f.juvenile.is_none()
        && f.needs_focus.is_none()
        && f.received_from.is_none()
        && f.received_to.is_none()
        && f.expungement_due_before.is_none()
        && f.contact_overdue.is_none()
}

/// SQLite: how many persons `person_fts` matches for these words (with the unit's own terms)
/// and status, counting no further than `limit`.
pub(super) fn fts_count(
    conn: &mut DbConnection,
    scope: &PersonScope,
    unit: Option<&Jurisdiction>,
    words: &[String],
    status: Option<&str>,
    limit: Option<i64>,
) -> ApiResult<i64> {
    let terms = unit_terms(&scope.jurisdiction, unit);
    let matched =
        diesel::sql_query("SELECT COUNT(*) AS n FROM (SELECT 1 FROM person_fts WHERE person_fts MATCH ? LIMIT ?)")
            .bind::<diesel::sql_types::Text, _>(Search::fts_match(words, terms.as_deref(), status))
            .bind::<BigInt, _>(limit.unwrap_or(-1))
            .get_result::<Count>(conn)?;
    Ok(matched.n)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}
