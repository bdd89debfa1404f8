//! The report lines of issue 24 (points 4–8) as SQL aggregates: loans of the bank's other
//! programmes, outreach by kind and topic, judicial-record requests and the persons each
//! supervising organisation helped. Kept apart from the main indicator queries; the
//! assembly calls [`report_lines`] once and [`ReportLines::apply`] on its result. Same SQL
//! on both backends, placeholders `$n` (PostgreSQL) or `?n` (SQLite).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::auth::Jurisdiction;
use crate::db::DbConnection;
use crate::domain::enums::{LoanProgramme, Organisation, OutreachKind, OutreachTopic};
use crate::domain::indicators::Indicators;
use crate::domain::report_lines::*;
use crate::error::ApiResult;

use super::sql::Sql;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    code: String,
    #[diesel(sql_type = BigInt)]
    n1: i64,
    #[diesel(sql_type = BigInt)]
    n2: i64,
    #[diesel(sql_type = BigInt)]
    n3: i64,
}

/// The figures of the lines, computed in the indicators' snapshot.
pub struct ReportLines {
    other_programme_loans: Vec<ProgrammeLoans>,
    outreach: OutreachBreakdown,
    judicial: JudicialRecordFigures,
    mass_organisations: MassOrganisationHelp,
}

impl ReportLines {
    /// Puts the lines into the indicators; the legal-support total comes from the
    /// sub-kind breakdown and the distinct persons already counted.
    pub fn apply(self, ind: &mut Indicators) {
        ind.other_programme_loans = self.other_programme_loans;
        ind.organisation.outreach = self.outreach;
        ind.organisation.mass_organisations = self.mass_organisations;
        ind.support.judicial_record_requests = self.judicial;
        ind.support.legal_support_total = LegalSupportTotal {
            records: ind.support.legal_support.iter().map(|k| k.count).sum(),
            persons: ind.support.legal_help_persons,
        };
    }
}

/// Every line for the units and the period.
pub fn report_lines(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<ReportLines> {
    Ok(ReportLines {
        other_programme_loans: other_programme_loans(conn, scope, from, to)?,
        outreach: outreach(conn, scope, from, to)?,
        judicial: judicial_records(conn, scope, from, to)?,
        mass_organisations: mass_organisations(conn, scope, from, to)?,
    })
}

/// Loans of each programme other than Decision 22 with a disbursement dated in the period:
/// loans, distinct persons borrowing, principal disbursed.
fn other_programme_loans(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Vec<ProgrammeLoans>> {
    let mut q = Sql::new(conn);
    let (f, t) = (q.date(from), q.date(to));
    let sc = q.scope("l", scope);
    let text = format!(
        "SELECT l.programme AS code, COUNT(DISTINCT lp.loan_id) AS n1, COUNT(DISTINCT l.person_id) AS n2,
                CAST(COALESCE(SUM(lp.principal_vnd), 0) AS BIGINT) AS n3
         FROM loan_postings lp JOIN loans l ON l.id = lp.loan_id
         WHERE lp.kind = 'disbursement' AND lp.value_date >= {f} AND lp.value_date <= {t}
           AND l.programme <> 'decision_22' AND {sc}
         GROUP BY l.programme"
    );
    let rows: Vec<Row> = q.load(conn, text)?;
    Ok(LoanProgramme::ALL
        .iter()
        .filter(|p| **p != LoanProgramme::Decision_22)
        .map(|p| {
            let r = rows.iter().find(|r| r.code == p.as_str());
            ProgrammeLoans {
                programme: *p,
                loans: r.map_or(0, |r| r.n1),
                persons: r.map_or(0, |r| r.n2),
                disbursed_vnd: r.map_or(0, |r| r.n3),
            }
        })
        .collect())
}

/// Outreach held in the period by kind and by topic: events, audience, quantity.
fn outreach(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<OutreachBreakdown> {
    let mut lines = |column: &str, codes: Vec<&'static str>| -> ApiResult<Vec<OutreachLine>> {
        let mut q = Sql::new(conn);
        let (f, t) = (q.date(from), q.date(to));
        let sc = q.scope("o", scope);
        let text = format!(
            "SELECT o.{column} AS code, COUNT(*) AS n1, CAST(COALESCE(SUM(o.audience_count), 0) AS BIGINT) AS n2,
                    CAST(COALESCE(SUM(o.quantity), 0) AS BIGINT) AS n3
             FROM outreach_events o WHERE o.held_on >= {f} AND o.held_on <= {t} AND {sc}
             GROUP BY o.{column}"
        );
        let rows: Vec<Row> = q.load(conn, text)?;
        Ok(codes
            .into_iter()
            .map(|code| {
                let r = rows.iter().find(|r| r.code == code);
                OutreachLine {
                    code: code.into(),
                    events: r.map_or(0, |r| r.n1),
                    audience: r.map_or(0, |r| r.n2),
                    quantity: r.map_or(0, |r| r.n3),
                }
            })
            .collect())
    };
    let by_kind = lines("kind", OutreachKind::ALL.iter().map(|k| k.as_str()).collect())?;
    let by_topic = lines("topic_code", OutreachTopic::ALL.iter().map(|k| k.as_str()).collect())?;
    Ok(OutreachBreakdown { by_kind, by_topic })
}

/// Judicial-record requests of the unit's persons (by the person's current unit: a request
/// has no unit of its own).
fn judicial_records(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<JudicialRecordFigures> {
    let mut q = Sql::new(conn);
    let (f1, t1, f2, t2, f3, t3) = (q.date(from), q.date(to), q.date(from), q.date(to), q.date(from), q.date(to));
    let sc = q.scope("p", scope);
    let text = format!(
        "SELECT 'all' AS code,
                CAST(COALESCE(SUM(CASE WHEN j.requested_on >= {f1} AND j.requested_on <= {t1} THEN 1 ELSE 0 END), 0) AS BIGINT) AS n1,
                CAST(COALESCE(SUM(CASE WHEN j.outcome = 'issued' AND COALESCE(j.issued_on, j.requested_on) >= {f2}
                                        AND COALESCE(j.issued_on, j.requested_on) <= {t2} THEN 1 ELSE 0 END), 0) AS BIGINT) AS n2,
                COUNT(DISTINCT CASE WHEN j.requested_on >= {f3} AND j.requested_on <= {t3} THEN j.person_id END) AS n3
         FROM judicial_record_requests j JOIN persons p ON p.id = j.person_id
         WHERE {sc}"
    );
    let row = q.load::<Row>(conn, text)?.pop();
    Ok(JudicialRecordFigures {
        requests: row.as_ref().map_or(0, |r| r.n1),
        certificates_issued: row.as_ref().map_or(0, |r| r.n2),
        persons: row.as_ref().map_or(0, |r| r.n3),
    })
}

/// Per supervising organisation: persons supervised under an assignment naming it in force
/// on a day of the period, and persons given an activity in the period by one of its
/// accounts (a supervisor account of its assignments or a committee member naming it).
fn mass_organisations(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<MassOrganisationHelp> {
    let helped = |conn: &mut DbConnection, only_mass: bool| -> ApiResult<Vec<Row>> {
        let mut q = Sql::new(conn);
        let (t1, f1) = (q.date(to), q.date(from));
        let sc1 = q.scope("sa", scope);
        let (f2, t2) = (q.date(from), q.date(to));
        let sc2 = q.scope("a", scope);
        let (group, code) = if only_mass {
            let list = MASS_ORGANISATIONS.iter().map(|o| format!("'{}'", o.as_str())).collect::<Vec<_>>().join(", ");
            (format!("WHERE x.org IN ({list})"), "'mass'")
        } else {
            (String::new(), "x.org")
        };
        let group_by = if only_mass { "" } else { "GROUP BY x.org" };
        let text = format!(
            "SELECT {code} AS code, COUNT(DISTINCT x.person_id) AS n1,
                    COUNT(DISTINCT CASE WHEN x.how = 's' THEN x.person_id END) AS n2,
                    COUNT(DISTINCT CASE WHEN x.how = 'a' THEN x.person_id END) AS n3
             FROM (SELECT sa.organisation AS org, sa.person_id AS person_id, 's' AS how
                   FROM supervision_assignments sa
                   WHERE sa.organisation IS NOT NULL AND sa.from_date <= {t1}
                     AND (sa.to_date IS NULL OR sa.to_date >= {f1}) AND {sc1}
                   UNION ALL
                   SELECT m.org AS org, a.person_id AS person_id, 'a' AS how
                   FROM activities a
                   JOIN (SELECT DISTINCT s2.account_id AS account_id, s2.organisation AS org
                         FROM supervision_assignments s2
                         WHERE s2.account_id IS NOT NULL AND s2.organisation IS NOT NULL
                         UNION
                         SELECT cm.account_id AS account_id, cm.organisation AS org
                         FROM committee_members cm
                         WHERE cm.account_id IS NOT NULL AND cm.organisation IS NOT NULL) m
                     ON m.account_id = a.author_sub
                   WHERE NOT a.deleted AND a.occurred_on >= {f2} AND a.occurred_on <= {t2} AND {sc2}) x
             {group}
             {group_by}"
        );
        q.load(conn, text)
    };
    let rows = helped(conn, false)?;
    let mass = helped(conn, true)?.pop().map_or(0, |r| r.n1);
    Ok(MassOrganisationHelp {
        by_organisation: Organisation::ALL
            .iter()
            .map(|o| {
                let r = rows.iter().find(|r| r.code == o.as_str());
                OrganisationHelp {
                    organisation: *o,
                    persons: r.map_or(0, |r| r.n1),
                    supervised: r.map_or(0, |r| r.n2),
                    given_support: r.map_or(0, |r| r.n3),
                }
            })
            .collect(),
        persons_helped_by_mass_organisations: mass,
    })
}
