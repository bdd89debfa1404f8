//! Raw SQL with numbered placeholders, and the rows shared by the indicator families.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text};

use crate::auth::Jurisdiction;
use crate::db::{DbConnection, MultiBackend};
use crate::error::ApiResult;

/// Values bound to a query, in placeholder order.
pub(super) enum Bind {
    Text(String),
    Date(NaiveDate),
}

/// Raw SQL with numbered placeholders for the connection's backend.
pub(super) struct Sql {
    pub(super) pg: bool,
    pub(super) binds: Vec<Bind>,
}

impl Sql {
    pub(super) fn new(conn: &DbConnection) -> Sql {
        Sql { pg: matches!(conn, DbConnection::Postgresql(_)), binds: Vec::new() }
    }

    pub(super) fn placeholder(&self) -> String {
        let n = self.binds.len();
        if self.pg {
            format!("${n}")
        } else {
            format!("?{n}")
        }
    }

    pub(super) fn date(&mut self, d: NaiveDate) -> String {
        self.binds.push(Bind::Date(d));
        self.placeholder()
    }

    pub(super) fn text(&mut self, t: &str) -> String {
        self.binds.push(Bind::Text(t.to_string()));
        self.placeholder()
    }

    /// `alias` lies in the reported units (one unit, or a set of units that do not overlap).
    pub(super) fn scope(&mut self, alias: &str, scope: &[Jurisdiction]) -> String {
        if national(scope) {
            return "1 = 1".into();
        }
        let mut parts = Vec::new();
        let provinces: Vec<String> = scope
            .iter()
            .filter_map(|j| match j {
                Jurisdiction::Province(p) => Some(self.text(p)),
                _ => None,
            })
            .collect();
        let communes: Vec<String> = scope
            .iter()
            .filter_map(|j| match j {
                Jurisdiction::Commune(c) => Some(self.text(c)),
                _ => None,
            })
            .collect();
        match provinces.as_slice() {
            [] => {}
            [one] => parts.push(format!("{alias}.province_code = {one}")),
            many => parts.push(format!("{alias}.province_code IN ({})", many.join(", "))),
        }
        match communes.as_slice() {
            [] => {}
            [one] => parts.push(format!("{alias}.unit_code = {one}")),
            many => parts.push(format!("{alias}.unit_code IN ({})", many.join(", "))),
        }
        match parts.len() {
            0 => "1 = 0".into(),
            1 => parts.remove(0),
            _ => format!("({})", parts.join(" OR ")),
        }
    }

    pub(super) fn load<T>(self, conn: &mut DbConnection, text: String) -> ApiResult<Vec<T>>
    where
        T: QueryableByName<MultiBackend> + 'static,
    {
        let mut q = diesel::sql_query(text).into_boxed::<MultiBackend>();
        for b in self.binds {
            q = match b {
                Bind::Text(t) => q.bind::<Text, _>(t),
                Bind::Date(d) => q.bind::<Date, _>(d),
            };
        }
        Ok(q.load::<T>(conn)?)
    }
}

/// Whether the units are the whole country (`VN` overlaps every other unit, so it comes alone).
pub(super) fn national(scope: &[Jurisdiction]) -> bool {
    scope.iter().any(|j| matches!(j, Jurisdiction::National))
}

pub(super) const MANAGED: &str = "('received', 'under_management')";

#[derive(QueryableByName)]
pub(super) struct KindRow {
    #[diesel(sql_type = Text)]
    pub(super) kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) sub: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub(super) n1: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) n2: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) n3: i64,
}

#[derive(QueryableByName)]
pub(super) struct CountRow {
    #[diesel(sql_type = BigInt)]
    pub(super) n: i64,
}

#[derive(QueryableByName)]
pub(super) struct CodeRow {
    #[diesel(sql_type = Text)]
    pub(super) code: String,
}

pub(super) fn codes(conn: &mut DbConnection, q: Sql, text: String) -> ApiResult<BTreeSet<String>> {
    Ok(q.load::<CodeRow>(conn, text)?.into_iter().map(|r| r.code).collect())
}
