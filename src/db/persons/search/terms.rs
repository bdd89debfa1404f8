//! The words of a search: `q` parsed and folded, and the terms both backends index and
//! match (PostgreSQL's `tsquery`, SQLite's FTS5 query and its SQL functions).

use diesel::prelude::*;

/// What `q` searches for (docs: the `q` parameter of `GET /persons`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// Digits only (spaces ignored): the start of an ID number.
    IdNumberPrefix(String),
    /// Folded words (lower-case, accent-free, đ→d): each one a word of the name, other
    /// names or ID number, in any order; the last one may be the start of a word.
    Words(Vec<String>),
}

impl Search {
    pub fn parse(q: &str) -> Search {
        let digits: String = q.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            return Search::IdNumberPrefix(digits);
        }
        let folded = crate::text::fold(q);
        Search::Words(
            folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect(),
        )
    }

    /// PostgreSQL `to_tsquery('simple', …)` text, the last word a prefix: `'nguyen' & 'van' &
    /// ('an' | 'an':*)`, or with a unit's own terms `'p52nguyen' & ('p52an' | 'p52an':*)`. The
    /// prefix alone means the same, but the planner guesses a prefix's frequency (2 % for
    /// "nguyen", which is in 40 % of names) while it knows the whole word's: with it, it walks
    /// the name-order index for a common word instead of reading its posting list. The words
    /// are alphanumeric: nothing to escape.
    pub(super) fn tsquery(words: &[String], unit_terms: Option<&str>) -> String {
        let n = words.len();
        let prefix = unit_terms.unwrap_or("");
        words
            .iter()
            .enumerate()
            .map(
                |(i, w)| {
                    if i + 1 == n {
                        format!("('{prefix}{w}' | '{prefix}{w}':*)")
                    } else {
                        format!("'{prefix}{w}'")
                    }
                },
            )
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// SQLite FTS5 query on `person_fts`: the words in the `name` column, or a unit's own
    /// terms in `scoped`, and the status in its column (a unit's own status term inside a
    /// unit, `c21808undermanagement`: the plain one lists the whole country's), so that the
    /// index alone intersects them.
    pub(super) fn fts_match(words: &[String], unit_terms: Option<&str>, status: Option<&str>) -> String {
        let n = words.len();
        let prefix = unit_terms.unwrap_or("");
        let terms = words
            .iter()
            .enumerate()
            .map(|(i, w)| format!("\"{prefix}{w}\"{}", if i + 1 == n { "*" } else { "" }))
            .collect::<Vec<_>>()
            .join(" AND ");
        let column = if unit_terms.is_some() { "scoped" } else { "name" };
        let mut parts = vec![format!("{column} : ({terms})")];
        if let Some(s) = status {
            parts.push(format!("status : \"{prefix}{}\"", s.replace('_', "").replace('"', "\"\"")));
        }
        parts.join(" AND ")
    }
}

/// A person's unit-scoped search terms: each word of `search_text` (split at every
/// non-alphanumeric, as the query is) under its province and its commune, `p52nguyen
/// c21808nguyen p52van c21808van …`. Province codes have 2 digits and commune codes 5, so
/// the code ends at a known place. SQLite's `person_fts` triggers call it as
/// `thncd_scoped_words` (registered on every connection); PostgreSQL's
/// `person_unit_search_tokens()` builds the same terms in SQL.
pub fn scoped_words(search_text: &str, unit_code: &str, province_code: &str) -> String {
    let mut out = String::with_capacity(search_text.len() * 3);
    for word in search_text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        for (kind, code) in [('p', province_code), ('c', unit_code)] {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push(kind);
            out.push_str(code);
            out.push_str(word);
        }
    }
    out
}

/// A person's status terms: across the country, under the province and under the commune,
/// `undermanagement p52undermanagement c21808undermanagement` (the terms are alphanumeric, so
/// the `_` goes). A unit's search then reads its own unit's status list, not the country's
/// ([`Search::fts_match`]). SQLite's `person_fts` triggers call it as `thncd_status_terms`.
pub fn status_terms(status: &str, unit_code: &str, province_code: &str) -> String {
    let status = status.replace('_', "");
    format!("{status} p{province_code}{status} c{unit_code}{status}")
}

/// Whether `search_text` holds each of the space-separated folded `words` as a word, the last
/// as the start of one, its words split as the query's are: what the FTS match of
/// [`Search::fts_match`] finds. SQLite calls it as `thncd_holds_words` on the entries of a
/// unit's name-order index, which carries `search_text`
/// ([`SqlitePlan::CheckWords`](super::sqlite_plan::SqlitePlan::CheckWords)).
pub fn holds_words(search_text: &str, words: &str) -> bool {
    let stored = || search_text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
    let mut wanted = words.split(' ').filter(|w| !w.is_empty()).peekable();
    while let Some(word) = wanted.next() {
        let last = wanted.peek().is_none();
        if !stored().any(|s| if last { s.starts_with(word) } else { s == word }) {
            return false;
        }
    }
    true
}

diesel::define_sql_function! {
    /// [`scoped_words`] in SQL, for SQLite's `person_fts` triggers.
    fn thncd_scoped_words(search_text: diesel::sql_types::Text, unit_code: diesel::sql_types::Text, province_code: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

diesel::define_sql_function! {
    /// [`status_terms`] in SQL, for SQLite's `person_fts` triggers.
    fn thncd_status_terms(status: diesel::sql_types::Text, unit_code: diesel::sql_types::Text, province_code: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

diesel::define_sql_function! {
    /// [`holds_words`] in SQL, for SQLite's walk of a unit's name-order index.
    fn thncd_holds_words(search_text: diesel::sql_types::Text, words: diesel::sql_types::Text) -> diesel::sql_types::Bool;
}

/// Registers [`scoped_words`], [`status_terms`] and [`holds_words`] on a SQLite connection,
/// before its first write of a person (and before the migrations that build the index with
/// them).
pub fn register_sqlite_functions(conn: &mut diesel::SqliteConnection) -> QueryResult<()> {
    thncd_scoped_words_utils::register_impl(conn, |text: String, unit: String, province: String| {
        scoped_words(&text, &unit, &province)
    })?;
    thncd_status_terms_utils::register_impl(conn, |status: String, unit: String, province: String| {
        status_terms(&status, &unit, &province)
    })?;
    thncd_holds_words_utils::register_impl(conn, |text: String, words: String| holds_words(&text, &words))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_parses_words_and_id_prefixes() {
        let words = |v: &[&str]| Search::Words(v.iter().map(|s| s.to_string()).collect());
        assert_eq!(Search::parse("Nguyễn  VĂN a"), words(&["nguyen", "van", "a"]));
        assert_eq!(Search::parse("Đỗ B'Lao-Hà"), words(&["do", "b", "lao", "ha"]));
        assert_eq!(Search::parse("0790 85"), Search::IdNumberPrefix("079085".into()));
        assert_eq!(Search::parse("nguyen 0790"), words(&["nguyen", "0790"]));
        assert_eq!(Search::parse("'-"), words(&[]));
        let words = ["nguyen".to_string(), "an".to_string()];
        assert_eq!(Search::tsquery(&words, None), "'nguyen' & ('an' | 'an':*)");
        assert_eq!(Search::tsquery(&words, Some("p52")), "'p52nguyen' & ('p52an' | 'p52an':*)");
        assert_eq!(
            Search::fts_match(&words, Some("c21553"), Some("under_management")),
            "scoped : (\"c21553nguyen\" AND \"c21553an\"*) AND status : \"c21553undermanagement\""
        );
        assert_eq!(Search::fts_match(&words, None, None), "name : (\"nguyen\" AND \"an\"*)");
        assert_eq!(
            Search::fts_match(&words, None, Some("received")),
            "name : (\"nguyen\" AND \"an\"*) AND status : \"received\""
        );
    }

    #[test]
    fn scoped_words_split_like_the_query() {
        assert_eq!(
            scoped_words("do b'lao-ha 079123", "21553", "52"),
            "p52do c21553do p52b c21553b p52lao c21553lao p52ha c21553ha p52079123 c21553079123"
        );
        assert_eq!(scoped_words("", "21553", "52"), "");
        assert_eq!(scoped_words("  an  ", "21553", "52"), "p52an c21553an");
    }

    #[test]
    fn holds_words_as_the_fts_match_does() {
        let text = "do b'lao-ha 079123";
        for (words, holds) in [
            ("do", true),
            ("d", true),
            ("lao ha", true),
            ("ha lao", true),
            ("la", true),
            ("la ha", false),
            ("079", true),
            ("do 079123", true),
            ("79123", false),
            ("nguyen", false),
            ("b do", true),
            ("", true),
        ] {
            assert_eq!(holds_words(text, words), holds, "{words}");
        }
    }

    #[test]
    fn status_terms_match_the_querys_status_term() {
        let terms = status_terms("under_management", "21553", "52");
        assert_eq!(terms, "undermanagement p52undermanagement c21553undermanagement");
        for unit in [None, Some("p52"), Some("c21553")] {
            let query = Search::fts_match(&["an".to_string()], unit, Some("under_management"));
            let term = query.rsplit("status : ").next().unwrap().trim_matches('"');
            assert!(terms.split(' ').any(|t| t == term), "{unit:?}: {term}");
        }
    }
}
