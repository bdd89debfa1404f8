//! The person list: filters, the `q` search on either backend, keyset cursors and the
//! total (exact up to a threshold, estimated above).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

// The person scope's macros (`scoped!`) name these tables.
use super::{PersonRow, PersonScope, Purpose};
use crate::auth::Jurisdiction;
use crate::db::schema::{
    job_referrals as jr, loan_list_entries as lle, loan_lists as ll, loans as l, persons as p, plan_items as pi,
    release_notices as rn, social_assistance as soc, supervision_assignments as sa, trainings as tr,
};
use crate::db::DbConnection;
use crate::error::ApiResult;

mod sqlite_plan;
mod terms;

use sqlite_plan::{fts_count, search_index_count, sqlite_plan, unindexed_unit_predicate, SqlitePlan};
pub use terms::{holds_words, register_sqlite_functions, scoped_words, status_terms, Search};

/// List filters, already checked against what the caller's roles may filter on.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub unit: Option<Jurisdiction>,
    pub status: Option<String>,
    pub release_type: Option<String>,
    pub offence_group: Option<String>,
    pub classification: Option<String>,
    pub juvenile: Option<bool>,
    pub needs_focus: Option<bool>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub expungement_due_before: Option<NaiveDate>,
    pub q: Option<Search>,
    /// Under management and past their contact interval (or a parolee's check-in) on this date.
    pub contact_overdue: Option<(crate::domain::contact::ContactIntervals, NaiveDate)>,
    pub sort: Sort,
    /// Keyset paging: the rows after this one in `sort` order (instead of an offset).
    pub after: Option<Cursor>,
    /// Counts are exact up to this many matches; above, an estimate unless `exact_total`.
    pub exact_total_up_to: i64,
    pub exact_total: bool,
    /// No count at all (`total` is the page's length): for callers that read every page.
    pub no_total: bool,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    #[default]
    FullName,
    FullNameDesc,
    ReceivedOn,
    ReceivedOnDesc,
    ExpungementDueOn,
    CreatedAt,
    CreatedAtDesc,
}

/// Of the caller's jurisdiction and a `unit` filter, the one inside the other; `None` when
/// neither holds the other (both predicates then stay, and match nobody).
fn narrower<'a>(jurisdiction: &'a Jurisdiction, unit: Option<&'a Jurisdiction>) -> Option<&'a Jurisdiction> {
    let Some(unit) = unit else { return Some(jurisdiction) };
    if within(unit, jurisdiction) {
        Some(unit)
    } else if within(jurisdiction, unit) {
        Some(jurisdiction)
    } else {
        None
    }
}

/// Whether the list is inside one province or commune (the narrower of the caller's
/// jurisdiction and the `unit` filter), where a search reads that unit's own terms and index.
fn in_one_unit(scope: &PersonScope, f: &ListFilter) -> bool {
    matches!(narrower(&scope.jurisdiction, f.unit.as_ref()), Some(Jurisdiction::Province(_) | Jurisdiction::Commune(_)))
}

fn within(inner: &Jurisdiction, outer: &Jurisdiction) -> bool {
    match (inner, outer) {
        (_, Jurisdiction::National) => true,
        (Jurisdiction::Province(a), Jurisdiction::Province(b))
        | (Jurisdiction::Commune(a), Jurisdiction::Commune(b)) => a == b,
        (Jurisdiction::Commune(c), Jurisdiction::Province(p)) => {
            crate::db::admin_units::province_of(c).is_some_and(|of| of == p)
        }
        _ => false,
    }
}

/// The prefix of a unit's own search terms (`p52`, `c21808`) for the narrowest of the caller's
/// jurisdiction and the `unit` filter; `None` for the whole country. A common word ("nguyen",
/// about 40 % of names) then costs a search the unit's matches, not the country's.
fn unit_terms(jurisdiction: &Jurisdiction, unit: Option<&Jurisdiction>) -> Option<String> {
    let narrowest = match (jurisdiction, unit) {
        (c @ Jurisdiction::Commune(_), _) | (_, Some(c @ Jurisdiction::Commune(_))) => c,
        (p @ Jurisdiction::Province(_), _) | (_, Some(p @ Jurisdiction::Province(_))) => p,
        _ => return None,
    };
    match narrowest {
        Jurisdiction::Province(code) => Some(format!("p{code}")),
        Jurisdiction::Commune(code) => Some(format!("c{code}")),
        Jurisdiction::National => None,
    }
}

/// A keyset position: the sort key and id of the last row of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// `full_name` / `-full_name`.
    Name { name: String, id: String },
    /// `created_at` / `-created_at` (ids are time-ordered UUIDv7).
    Id(String),
}

impl Cursor {
    /// The opaque `next` token: base64url of `n\u{1f}name\u{1f}id` or `i\u{1f}id`.
    pub fn encode(&self) -> String {
        use base64::Engine;
        let raw = match self {
            Cursor::Name { name, id } => format!("n\u{1f}{name}\u{1f}{id}"),
            Cursor::Id(id) => format!("i\u{1f}{id}"),
        };
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(token: &str) -> Option<Cursor> {
        use base64::Engine;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).ok()?;
        let raw = String::from_utf8(raw).ok()?;
        let mut parts = raw.split('\u{1f}');
        let cursor = match (parts.next()?, parts.next(), parts.next()) {
            ("n", Some(name), Some(id)) => Cursor::Name { name: name.to_string(), id: id.to_string() },
            ("i", Some(id), None) => Cursor::Id(id.to_string()),
            _ => return None,
        };
        parts.next().is_none().then_some(cursor)
    }

    /// Whether this cursor was made for `sort` (keyset paging covers the name and creation
    /// orders; the date orders page by offset).
    pub fn fits(&self, sort: Sort) -> bool {
        matches!(
            (self, sort),
            (Cursor::Name { .. }, Sort::FullName | Sort::FullNameDesc)
                | (Cursor::Id(_), Sort::CreatedAt | Sort::CreatedAtDesc)
        )
    }

    fn of(row: &PersonRow, sort: Sort) -> Option<Cursor> {
        match sort {
            Sort::FullName | Sort::FullNameDesc => {
                Some(Cursor::Name { name: row.full_name.clone(), id: row.id.clone() })
            }
            Sort::CreatedAt | Sort::CreatedAtDesc => Some(Cursor::Id(row.id.clone())),
            _ => None,
        }
    }
}

/// A page of the person list.
#[derive(Debug)]
pub struct ListPage {
    pub rows: Vec<PersonRow>,
    pub total: i64,
    /// `total` is the planner's (PostgreSQL) or the index's (SQLite) estimate.
    pub total_is_estimate: bool,
    /// Where the next page starts, when there is one and the sort pages by keyset.
    pub next: Option<Cursor>,
}

/// The filters of a list, on either backend (`$pg`: the search predicate's dialect).
/// `$unit_terms`: a search inside one unit reads that unit's own terms (false only for the
/// planner's estimate, which misjudges them: it cannot know they imply the unit).
/// `$plan` (SQLite): which index a search starts from ([`SqlitePlan`]).
macro_rules! list_filters {
    ($q:expr, $scope:expr, $f:expr, $pg:expr) => {
        list_filters!($q, $scope, $f, $pg, true, SqlitePlan::Planner)
    };
    ($q:expr, $scope:expr, $f:expr, $pg:expr, $unit_terms:expr) => {
        list_filters!($q, $scope, $f, $pg, $unit_terms, SqlitePlan::Planner)
    };
    ($q:expr, $scope:expr, $f:expr, $pg:expr, $unit_terms:expr, $plan:expr) => {{
        use diesel::sql_types::{Bool, Text};
        let f: &ListFilter = $f;
        let scope: &PersonScope = $scope;
        // SQLite, with `q`: the status as an indexable term leads the planner to read every
        // person under management through the `(status, last_contact_on)` index and check
        // each against the search: 2.1 s for `nguyen` across the country, against 0.2 s from
        // the FTS match (which holds the status too, `fts_match`), and 235–525 ms for an
        // ID-number prefix, against 1 ms on the ID-number btree (200,000 persons). `+` keeps
        // the predicate and takes it out of index selection.
        let sqlite_search = !$pg && matches!(&f.q, Some(Search::IdNumberPrefix(_)) | Some(Search::Words(_)));
        let mut q = match (&scope.purpose, narrower(&scope.jurisdiction, f.unit.as_ref())) {
            // One unit predicate, the narrower: the planner multiplies the selectivities of
            // two as if they were independent (`province_code = '52' AND province_code =
            // '52'`), underestimates the matches and reads a common word's whole posting list
            // (75 ms instead of 1 ms on the national data set).
            // A plan that starts from another index checks the unit on each row it reads.
            (None, Some(reach)) if $plan.reads_by_key() => match unindexed_unit_predicate(reach) {
                None => $q,
                Some((predicate, code)) => $q.filter(diesel::dsl::sql::<Bool>(predicate).bind::<Text, _>(code.clone())),
            },
            (None, Some(reach)) => in_unit!($q, reach),
            _ => {
                let mut q = scoped!($q, scope);
                if let Some(unit) = &f.unit {
                    q = in_unit!(q, unit);
                }
                q
            }
        };
        if let Some(v) = &f.status {
            if sqlite_search {
                q = q.filter(diesel::dsl::sql::<Bool>("+persons.status = ").bind::<Text, _>(v.clone()));
            } else {
                q = q.filter(p::status.eq(v.clone()));
            }
        }
        if let Some(v) = &f.release_type {
            q = q.filter(p::release_type.eq(v.clone()));
        }
        if let Some(v) = &f.offence_group {
            q = q.filter(p::offence_group.eq(v.clone()));
        }
        if let Some(v) = &f.classification {
            q = q.filter(p::classification.eq(v.clone()));
        }
        if let Some(v) = f.juvenile {
            q = q.filter(p::juvenile.eq(v));
        }
        if let Some(v) = f.needs_focus {
            q = q.filter(p::needs_focus.eq(v));
        }
        if let Some(v) = f.received_from {
            q = q.filter(p::received_on.ge(v));
        }
        if let Some(v) = f.received_to {
            q = q.filter(p::received_on.le(v));
        }
        if let Some(v) = f.expungement_due_before {
            q = q.filter(p::expungement_due_on.lt(v)).filter(p::active.eq(true));
        }
        if let Some((intervals, today)) = &f.contact_overdue {
            let cut = |group: Option<&str>| intervals.overdue_before(group, *today);
            let late = |cut: NaiveDate| {
                p::last_contact_on.lt(cut).or(p::last_contact_on.is_null().and(p::management_started_on.lt(cut)))
            };
            let group = |g: &'static str| p::classification.eq(g).and(late(cut(Some(g))));
            let parole_cut = *today - chrono::Days::new(intervals.parole_check_in as u64);
            let missed_check_in = p::release_type.eq("conditional_early_release").and(p::probation_end.ge(*today)).and(
                p::last_check_in_on
                    .lt(parole_cut)
                    .or(p::last_check_in_on.is_null().and(p::management_started_on.lt(parole_cut))),
            );
            q = q.filter(p::status.eq("under_management")).filter(
                group("a")
                    .or(group("b"))
                    .or(group("c"))
                    .or(group("d"))
                    .or(p::classification.is_null().and(late(cut(None))))
                    .or(missed_check_in),
            );
        }
        match &f.q {
            None => {}
            Some(Search::IdNumberPrefix(digits)) => {
                // A range on the ID-number btree (digits sort the same in every collation).
                if $pg {
                    q = q.filter(p::id_number.like(format!("{digits}%")));
                } else {
                    q = q.filter(p::id_number.ge(digits.clone())).filter(p::id_number.lt(format!("{digits}:")));
                }
            }
            Some(Search::Words(words)) if words.is_empty() => q = q.filter(false.into_sql::<Bool>()),
            Some(Search::Words(words)) => {
                let terms = if $unit_terms { unit_terms(&scope.jurisdiction, f.unit.as_ref()) } else { None };
                if $pg {
                    // One word: the plain words, whose statistics let the planner choose
                    // between the word's posting list (a rare word) and the unit's name-order
                    // index (a common one). Several words match few persons: the unit's own
                    // terms keep each word's posting list to the unit.
                    let (column, terms) = match terms {
                        Some(t) if words.len() > 1 => ("persons.unit_search_tokens", Some(t)),
                        _ => ("persons.search_tokens", None),
                    };
                    q = q.filter(
                        diesel::dsl::sql::<Bool>(&format!("{column} @@ to_tsquery('simple', "))
                            .bind::<Text, _>(Search::tsquery(words, terms.as_deref()))
                            .sql(")"),
                    );
                } else if matches!($plan, SqlitePlan::CheckWords(_)) {
                    q = q.filter(
                        diesel::dsl::sql::<Bool>("thncd_holds_words(persons.search_text, ")
                            .bind::<Text, _>(words.join(" "))
                            .sql(")"),
                    );
                } else {
                    // `+` on the key (when walking): the matches are then a list each entry of
                    // the name-order index is checked against, not the rows to start from.
                    let membership = if $plan == SqlitePlan::WalkNames { "+persons.id IN" } else { "persons.id IN" };
                    q = q.filter(
                        diesel::dsl::sql::<Bool>(&format!(
                            "{membership} (SELECT s.person_id FROM person_fts JOIN person_search s \
                             ON s.docid = person_fts.rowid WHERE person_fts MATCH "
                        ))
                        .bind::<Text, _>(Search::fts_match(words, terms.as_deref(), f.status.as_deref()))
                        .sql(")"),
                    );
                }
            }
        }
        q
    }};
}

pub fn list(
    conn: &mut DbConnection,
    scope: &PersonScope,
    f: &ListFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<ListPage> {
    // One snapshot for the page's ids, its rows and its total, so the three agree.
    crate::db::read_tx(conn, &[], |conn| list_in_snapshot(conn, scope, f, offset, limit))
}

fn list_in_snapshot(
    conn: &mut DbConnection,
    scope: &PersonScope,
    f: &ListFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<ListPage> {
    use diesel::sql_types::Integer;
    let pg = matches!(conn, DbConnection::Postgresql(_));
    let plan = sqlite_plan(conn, scope, f)?;
    // The page's ids first, then their rows: the ids of a common word's first page come from
    // an index-only walk of the unit's name-order index, which a `SELECT *` would turn into a
    // row read per skipped person.
    let q = list_filters!(p::table.into_boxed(), scope, f, pg, true, plan).select(p::id);
    let q = match (&f.after, f.sort) {
        (Some(Cursor::Name { name, id }), Sort::FullName) => {
            q.filter(p::full_name.gt(name.clone()).or(p::full_name.eq(name.clone()).and(p::id.gt(id.clone()))))
        }
        (Some(Cursor::Name { name, id }), Sort::FullNameDesc) => {
            q.filter(p::full_name.lt(name.clone()).or(p::full_name.eq(name.clone()).and(p::id.lt(id.clone()))))
        }
        (Some(Cursor::Id(id)), Sort::CreatedAt) => q.filter(p::id.gt(id.clone())),
        (Some(Cursor::Id(id)), Sort::CreatedAtDesc) => q.filter(p::id.lt(id.clone())),
        _ => q,
    };
    let q = match f.sort {
        Sort::FullName => q.order((p::full_name.asc(), p::id.asc())),
        Sort::FullNameDesc => q.order((p::full_name.desc(), p::id.desc())),
        Sort::ReceivedOn => q.order((p::received_on.asc(), p::id.asc())),
        Sort::ReceivedOnDesc => q.order((p::received_on.desc(), p::id.desc())),
        Sort::ExpungementDueOn => q.order((p::expungement_due_on.asc(), p::id.asc())),
        Sort::CreatedAt => q.order(p::id.asc()),
        Sort::CreatedAtDesc => q.order(p::id.desc()),
    };
    let first_page = f.after.is_none() && offset == 0;
    let offset = if f.after.is_some() { 0 } else { offset };
    let cap = f.exact_total_up_to.max(0);
    // Inside a province or commune, the first page reads up to the threshold's worth of ids
    // in the same walk: their number is the exact total when it stays under the threshold,
    // and no count query walks the same index again (1.5–2.6 ms of a province search's 7 ms
    // in PostgreSQL). A unit's walk is bounded by the unit; the country's is not (a rare
    // family name such as `ly` has fewer matches than the threshold, so its walk would read
    // the whole national index: 78 ms), so there the count stays a query of its own, which
    // the planner may answer from the posting list. Otherwise one row more than the page
    // tells whether there is a next one.
    // `CheckWords`: the FTS index has already counted the matches (up to the threshold and
    // one), so the walk stops after the page (a common word's first page reads 51 matches,
    // not 1,001).
    let counted = match plan {
        SqlitePlan::CheckWords(matches) => Some(matches),
        _ => None,
    };
    let counts_in_walk = first_page
        && in_one_unit(scope, f)
        && scope.purpose.is_none()
        && !f.no_total
        && !f.exact_total
        && counted.is_none();
    let fetch = if counts_in_walk { (limit + 1).max(cap + 1) } else { limit + 1 };
    let mut ids: Vec<String> = q.offset(offset).limit(fetch).load(conn)?;
    let seen = ids.len() as i64;
    let more = seen > limit;
    ids.truncate(limit as usize);
    // The rows by primary key, in the snapshot the ids came from: the ids are the scoped
    // query's answer, so the rows are within the caller's reach. (Repeating the unit
    // predicate here made PostgreSQL AND the key lookups with a scan of the whole province's
    // index: 3–4 ms for 50 rows instead of 0.3 ms.)
    let mut rows: Vec<PersonRow> = p::table.filter(p::id.eq_any(&ids)).select(PersonRow::as_select()).load(conn)?;
    let position: std::collections::HashMap<&str, usize> =
        ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    rows.sort_by_key(|r| position.get(r.id.as_str()).copied().unwrap_or(usize::MAX));
    let next = if more { rows.last().and_then(|r| Cursor::of(r, f.sort)) } else { None };

    // The total: free when the first page is not full or the walk saw fewer than the
    // threshold; exact up to the threshold otherwise (a count that stops there); above, an
    // estimate unless asked for exact.
    if f.no_total || (first_page && !more) {
        return Ok(ListPage { total: rows.len() as i64, rows, total_is_estimate: false, next });
    }
    // A count has no order: walking the name-order index would only slow it down.
    let count_plan = if plan.walks_names() { SqlitePlan::Planner } else { plan };
    let count_all = || list_filters!(p::table.into_boxed(), scope, f, pg, true, count_plan);
    let (total, estimate) = if f.exact_total {
        match search_index_count(conn, scope, f, None)? {
            Some(n) => (n, false),
            None => (count_all().select(diesel::dsl::sql::<BigInt>("COUNT(*)")).first(conn)?, false),
        }
    } else {
        let seen = if counts_in_walk {
            seen
        } else if let Some(matches) = counted {
            matches
        } else {
            match search_index_count(conn, scope, f, Some(cap + 1))? {
                Some(n) => n,
                None => {
                    count_all().select(diesel::dsl::sql::<Integer>("1")).limit(cap + 1).load::<i32>(conn)?.len() as i64
                }
            }
        };
        if seen <= cap {
            (seen, false)
        } else if scope.purpose.is_some() {
            // Purpose-limited sets (a caseload, a bank's lists) are small: count them.
            (count_all().select(diesel::dsl::sql::<BigInt>("COUNT(*)")).first(conn)?, false)
        } else {
            // Never below what this page already shows: a planner's estimate on a small
            // or freshly changed table can be lower than that.
            let shown = offset + rows.len() as i64 + i64::from(more);
            (estimate_total(conn, scope, f, pg, plan)?.max(cap + 1).max(shown), true)
        }
    };
    Ok(ListPage { rows, total, total_is_estimate: estimate, next })
}

/// `EXPLAIN <query>`: the planner's row estimate, without running the query.
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
struct Explain<Q>(Q);

impl<Q, DB> diesel::query_builder::QueryFragment<DB> for Explain<Q>
where
    DB: diesel::backend::Backend,
    Q: diesel::query_builder::QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("EXPLAIN ");
        self.0.walk_ast(out.reborrow())
    }
}

impl<Q> diesel::query_builder::Query for Explain<Q> {
    type SqlType = diesel::sql_types::Text;
}

impl<Q, C> RunQueryDsl<C> for Explain<Q> {}

/// The estimated number of matches of a large list. PostgreSQL: the planner's estimate of
/// the whole filtered query. SQLite (no planner estimate): the count the indexes give alone
/// — the FTS index for `q` with jurisdiction and status, or the (unit, status) btree —
/// leaving out the other filters, so it is an upper bound.
fn estimate_total(
    conn: &mut DbConnection,
    scope: &PersonScope,
    f: &ListFilter,
    pg: bool,
    plan: SqlitePlan,
) -> ApiResult<i64> {
    if pg {
        let query = list_filters!(p::table.into_boxed(), scope, f, pg, false)
            .select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"));
        let plan: Vec<String> = Explain(query).load(conn)?;
        let rows = plan
            .first()
            .and_then(|line| line.split("rows=").nth(1))
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or(0);
        return Ok(rows);
    }
    let core = ListFilter { unit: f.unit.clone(), status: f.status.clone(), q: f.q.clone(), ..Default::default() };
    if let Some(Search::Words(words)) = &core.q {
        return fts_count(conn, scope, core.unit.as_ref(), words, core.status.as_deref(), None);
    }
    // An ID-number prefix held by few persons: its range, as the page read it (the unit's
    // whole index otherwise).
    let plan = if plan == SqlitePlan::IdNumberRange { plan } else { SqlitePlan::Planner };
    Ok(list_filters!(p::table.into_boxed(), scope, &core, pg, true, plan)
        .select(diesel::dsl::sql::<BigInt>("COUNT(*)"))
        .first(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_reads_the_narrowest_units_own_terms() {
        let (vn, p52, c21553) =
            (Jurisdiction::National, Jurisdiction::Province("52".into()), Jurisdiction::Commune("21553".into()));
        let cases = [
            (&vn, None, None),
            (&vn, Some(&vn), None),
            (&vn, Some(&p52), Some("p52")),
            (&vn, Some(&c21553), Some("c21553")),
            (&p52, None, Some("p52")),
            (&p52, Some(&c21553), Some("c21553")),
            (&c21553, None, Some("c21553")),
            (&c21553, Some(&p52), Some("c21553")),
        ];
        for (jurisdiction, unit, expected) in cases {
            assert_eq!(unit_terms(jurisdiction, unit).as_deref(), expected, "{jurisdiction:?} {unit:?}");
        }
    }

    #[test]
    fn one_unit_predicate_the_narrower() {
        let (vn, p01, p79, c00070) = (
            Jurisdiction::National,
            Jurisdiction::Province("01".into()),
            Jurisdiction::Province("79".into()),
            Jurisdiction::Commune("00070".into()),
        );
        assert_eq!(narrower(&p01, None), Some(&p01));
        assert_eq!(narrower(&p01, Some(&p01)), Some(&p01));
        assert_eq!(narrower(&p01, Some(&c00070)), Some(&c00070));
        assert_eq!(narrower(&c00070, Some(&p01)), Some(&c00070));
        assert_eq!(narrower(&vn, Some(&p79)), Some(&p79));
        assert_eq!(narrower(&p79, Some(&vn)), Some(&p79));
        // Disjoint: neither holds the other.
        assert_eq!(narrower(&p79, Some(&c00070)), None);
        assert_eq!(narrower(&p79, Some(&p01)), None);
    }

    #[test]
    fn cursors_round_trip_and_fit_their_sort() {
        let name = Cursor::Name { name: "Nguyễn Văn An".into(), id: "0190-ab".into() };
        assert_eq!(Cursor::decode(&name.encode()), Some(name.clone()));
        assert!(name.fits(Sort::FullNameDesc) && !name.fits(Sort::CreatedAt) && !name.fits(Sort::ReceivedOn));
        let id = Cursor::Id("0190-ab".into());
        assert_eq!(Cursor::decode(&id.encode()), Some(id.clone()));
        assert!(id.fits(Sort::CreatedAtDesc) && !id.fits(Sort::FullName));
        assert_eq!(Cursor::decode("not a cursor"), None);
        assert_eq!(Cursor::decode(""), None);
    }
}
