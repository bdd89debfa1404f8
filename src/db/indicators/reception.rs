//! Receptions, files opened and exits (status changes dated in the period).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use super::sql::Sql;
use crate::auth::Jurisdiction;
use crate::db::DbConnection;
use crate::domain::indicators::{Exits, Receptions};
use crate::error::ApiResult;

#[derive(QueryableByName)]
pub(super) struct EventRow {
    #[diesel(sql_type = Text)]
    pub(super) to_status: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) from_status: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) release_type: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub(super) late: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) opened: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) notified: i64,
    #[diesel(sql_type = BigInt)]
    pub(super) n: i64,
}

/// Receptions, files opened and exits dated in the period. A move between two communes of
/// the unit is neither a reception nor an exit of the unit.
pub(super) fn events(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<(Receptions, Exits, i64)> {
    let mut q = Sql::new(conn);
    let f = q.date(from);
    let t = q.date(to);
    let sc = q.scope("h", scope);
    let sc_prev = q.scope("prv", scope);
    let sc_next = q.scope("nxt", scope);
    // A reception belongs to the cycle of the latest release on or before its day: that
    // release's type, and lateness against that release (a parolee reporting more than five
    // days after it). The person's current release facts describe only the last cycle.
    let late_after =
        if q.pg { "rc.release_date + 5".to_string() } else { "date(rc.release_date, '+5 days')".to_string() };
    let late = format!(
        "CASE WHEN h.to_status = 'received' AND h.from_status = 'expected'
                   AND rc.release_type = 'conditional_early_release' AND h.occurred_on > {late_after}
              THEN 1 ELSE 0 END"
    );
    // A reception's file is opened when the person's next change is to `under_management`,
    // dated by `to`.
    let t_opened = q.date(to);
    let opened = format!(
        "CASE WHEN h.to_status = 'received'
                   AND EXISTS (SELECT 1 FROM person_status_history fo
                               WHERE fo.person_id = h.person_id AND fo.seq = h.seq + 1
                                 AND fo.to_status = 'under_management' AND fo.occurred_on <= {t_opened})
              THEN 1 ELSE 0 END"
    );
    // Notified ahead: the latest release notice up to the reception day was dated at least
    // 2 months before its expected release date. Two months before the 30th of April is the
    // 28th of February on both backends (PostgreSQL clamps to the month's end; SQLite's
    // '-2 months' would roll over to the 2nd of March, so it takes the earlier of that day and
    // the last day of the month two months back).
    let two_months_before = if q.pg {
        "rn.expected_release_date - INTERVAL '2 months'"
    } else {
        "min(date(rn.expected_release_date, 'start of month', '-2 months',
                  '+' || (CAST(strftime('%d', rn.expected_release_date) AS INTEGER) - 1) || ' days'),
             date(rn.expected_release_date, 'start of month', '-1 months', '-1 days'))"
    };
    let notified = format!(
        "CASE WHEN h.to_status = 'received'
                   AND EXISTS (SELECT 1 FROM release_notices rn
                               WHERE rn.id = (SELECT x.id FROM release_notices x
                                              WHERE x.person_id = h.person_id AND x.notice_date <= h.occurred_on
                                              ORDER BY x.notice_date DESC, x.id DESC LIMIT 1)
                                 AND rn.notice_date <= {two_months_before})
              THEN 1 ELSE 0 END"
    );
    let text = format!(
        "SELECT h.to_status AS to_status, h.from_status AS from_status, rc.release_type AS release_type,
                CAST({late} AS BIGINT) AS late, CAST({opened} AS BIGINT) AS opened,
                CAST({notified} AS BIGINT) AS notified,
                COUNT(*) AS n
         FROM person_status_history h
         LEFT JOIN convictions rc
           ON h.to_status = 'received'
          AND rc.id = (SELECT c.id FROM convictions c
                       WHERE c.person_id = h.person_id AND c.release_date IS NOT NULL
                         AND c.release_date <= h.occurred_on
                       ORDER BY c.release_date DESC, c.id DESC LIMIT 1)
         WHERE h.occurred_on >= {f} AND h.occurred_on <= {t} AND {sc}
           AND h.to_status IN ('received', 'under_management', 'expunged', 'reoffended', 'law_violation',
                               'moved_out', 'absconded', 'deceased')
           AND NOT (h.to_status = 'received' AND COALESCE(h.from_status, '') = 'moved_out'
                    AND EXISTS (SELECT 1 FROM person_status_history prv
                                WHERE prv.person_id = h.person_id AND prv.seq = h.seq - 1 AND {sc_prev}))
           AND NOT (h.to_status = 'moved_out'
                    AND EXISTS (SELECT 1 FROM person_status_history nxt
                                WHERE nxt.person_id = h.person_id AND nxt.seq = h.seq + 1 AND {sc_next}))
         GROUP BY 1, 2, 3, 4, 5, 6"
    );
    let rows: Vec<EventRow> = q.load(conn, text)?;
    let (mut rec, mut ex, mut files) = (Receptions::default(), Exits::default(), 0);
    for row in rows {
        let n = row.n;
        match row.to_status.as_str() {
            "received" => {
                rec.total += n;
                match row.release_type.as_deref() {
                    Some("completed_sentence") => rec.completed_sentence += n,
                    Some("special_amnesty") => rec.special_amnesty += n,
                    Some("conditional_early_release") => rec.conditional_early_release += n,
                    _ => rec.release_type_unknown += n,
                }
                if row.from_status.as_deref() == Some("moved_out") {
                    rec.transferred_in += n;
                }
                if row.late == 1 {
                    rec.late_parolees += n;
                }
                rec.files_opened += row.opened * n;
                if row.from_status.as_deref() != Some("moved_out") {
                    rec.notified_two_months_ahead += row.notified * n;
                }
            }
            "under_management" => {
                if row.from_status.as_deref() == Some("received") {
                    files += n;
                }
            }
            exit => {
                ex.total += n;
                match exit {
                    "expunged" => ex.expunged += n,
                    "reoffended" => ex.reoffended += n,
                    "law_violation" => ex.law_violation += n,
                    "moved_out" => ex.moved_out += n,
                    "absconded" => ex.absconded += n,
                    _ => ex.deceased += n,
                }
            }
        }
    }
    Ok((rec, ex, files))
}
