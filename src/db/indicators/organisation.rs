//! Organisation: reintegration models, outreach, propagandists and the communes they cover.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::sql::{codes, KindRow, Sql, MANAGED};
use crate::auth::Jurisdiction;
use crate::db::DbConnection;
use crate::error::ApiResult;

/// Communes where someone was managed on a day of the period: a managed-state row recorded
/// there whose time in force meets the period.
pub fn communes_with_managed(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<BTreeSet<String>> {
    let mut q = Sql::new(conn);
    let sc = q.scope("h", scope);
    let t = q.date(to);
    let f1 = q.date(from);
    let text = format!(
        "SELECT DISTINCT h.unit_code AS code
         FROM person_status_history h
         WHERE {sc} AND h.to_status IN {MANAGED} AND h.occurred_on <= {t}
           AND (h.valid_until IS NULL OR h.valid_until >= {f1})"
    );
    codes(conn, q, text)
}

/// A model counts as active on `to` when it is active since then, or left the active state
/// after `to` having been founded by then.
pub(super) fn model_active_on(q: &mut Sql, to: NaiveDate) -> String {
    let (t1, t2, t3) = (q.date(to), q.date(to), q.date(to));
    format!(
        "((m.status = 'active' AND m.status_since <= {t1})
          OR (m.status IN ('suspended', 'dissolved') AND m.status_since > {t2}
              AND COALESCE(m.founding_decision_date, m.status_since) <= {t3}))"
    )
}

/// Models of the unit per type on `on`: (type, founded by then, active then, participants
/// taking part then in a model active then).
pub fn model_types_on(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    on: NaiveDate,
) -> ApiResult<Vec<(String, i64, i64, i64)>> {
    let mut q = Sql::new(conn);
    let (t1, t2, t3) = (q.date(on), q.date(on), q.date(on));
    let active = model_active_on(&mut q, on);
    let sc = q.scope("m", scope);
    let text = format!(
        "SELECT m.model_type AS kind, CAST(NULL AS TEXT) AS sub, COUNT(DISTINCT m.id) AS n1,
                COUNT(DISTINCT CASE WHEN {active} THEN m.id END) AS n2,
                COUNT(DISTINCT CASE WHEN {active} THEN mp.id END) AS n3
         FROM reintegration_models m
         LEFT JOIN model_participants mp ON mp.model_id = m.id AND mp.role = 'participant'
              AND mp.joined_on <= {t1} AND (mp.left_on IS NULL OR mp.left_on > {t2})
         WHERE COALESCE(m.founding_decision_date, m.status_since) <= {t3} AND {sc}
         GROUP BY m.model_type"
    );
    Ok(q.load::<KindRow>(conn, text)?.into_iter().map(|r| (r.kind, r.n1, r.n2, r.n3)).collect())
}

/// Communes of the unit with someone managed on `on`, and those of them with a model active on `on`.
pub fn model_coverage_on(conn: &mut DbConnection, scope: &[Jurisdiction], on: NaiveDate) -> ApiResult<(i64, i64)> {
    let managed = communes_with_managed(conn, scope, on, on)?;
    let with_model = communes_with_model(conn, scope, on)?;
    Ok((managed.len() as i64, with_model.intersection(&managed).count() as i64))
}

/// Plan items per (area, status) on `on`: each item's status is its latest update dated by
/// then, counted for persons managed that day in the unit.
pub fn plan_summary_on(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    on: NaiveDate,
) -> ApiResult<Vec<(String, String, i64)>> {
    let mut q = Sql::new(conn);
    let (t1, t2, t3, t4) = (q.date(on), q.date(on), q.date(on), q.date(on));
    let sc = q.scope("h", scope);
    let text = format!(
        "SELECT pi.area AS kind, u.status AS sub, COUNT(*) AS n1, CAST(0 AS BIGINT) AS n2, CAST(0 AS BIGINT) AS n3
         FROM plan_items pi
         JOIN plan_updates u ON u.plan_item_id = pi.id AND u.updated_on <= {t1}
         WHERE NOT EXISTS (
                 SELECT 1 FROM plan_updates u2
                 WHERE u2.plan_item_id = pi.id AND u2.updated_on <= {t2}
                   AND (u2.updated_on > u.updated_on
                        OR (u2.updated_on = u.updated_on AND u2.recorded_at > u.recorded_at)
                        OR (u2.updated_on = u.updated_on AND u2.recorded_at = u.recorded_at AND u2.id > u.id)))
           AND EXISTS (
                 SELECT 1 FROM person_status_history h
                 WHERE h.person_id = pi.person_id AND h.to_status IN {MANAGED} AND h.occurred_on <= {t3}
                   AND (h.valid_until IS NULL OR h.valid_until > {t4}) AND {sc})
         GROUP BY pi.area, u.status"
    );
    Ok(q.load::<KindRow>(conn, text)?.into_iter().map(|r| (r.kind, r.sub.unwrap_or_default(), r.n1)).collect())
}

pub(super) fn models(conn: &mut DbConnection, scope: &[Jurisdiction], to: NaiveDate) -> ApiResult<Vec<KindRow>> {
    let mut q = Sql::new(conn);
    let (t1, t2) = (q.date(to), q.date(to));
    let active = model_active_on(&mut q, to);
    let sc = q.scope("m", scope);
    // Persons count as participants only while managed on `to` (an exit ends participation;
    // this also holds for participations recorded before that rule).
    let (t3, t4) = (q.date(to), q.date(to));
    let text = format!(
        "SELECT m.model_type AS kind, CAST(NULL AS TEXT) AS sub, COUNT(DISTINCT m.id) AS n1,
                COUNT(CASE WHEN EXISTS (SELECT 1 FROM person_status_history h
                                        WHERE h.person_id = mp.person_id AND h.to_status IN {MANAGED}
                                          AND h.occurred_on <= {t3} AND (h.valid_until IS NULL OR h.valid_until > {t4}))
                           THEN mp.person_id END) AS n2,
                COUNT(mp.id) AS n3
         FROM reintegration_models m
         LEFT JOIN model_participants mp ON mp.model_id = m.id AND mp.joined_on <= {t1}
              AND (mp.left_on IS NULL OR mp.left_on > {t2})
         WHERE {active} AND {sc}
         GROUP BY m.model_type"
    );
    q.load(conn, text)
}

pub(super) fn communes_with_model(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    to: NaiveDate,
) -> ApiResult<BTreeSet<String>> {
    let mut q = Sql::new(conn);
    let active = model_active_on(&mut q, to);
    let sc = q.scope("m", scope);
    let text = format!("SELECT DISTINCT m.unit_code AS code FROM reintegration_models m WHERE {active} AND {sc}");
    codes(conn, q, text)
}

pub(super) fn outreach(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Vec<KindRow>> {
    let mut q = Sql::new(conn);
    let (f, t) = (q.date(from), q.date(to));
    let sc = q.scope("o", scope);
    let text = format!(
        "SELECT o.kind AS kind, CAST(NULL AS TEXT) AS sub, COUNT(*) AS n1,
                CAST(COALESCE(SUM(o.audience_count), 0) AS BIGINT) AS n2, CAST(COALESCE(SUM(o.quantity), 0) AS BIGINT) AS n3
         FROM outreach_events o WHERE o.held_on >= {f} AND o.held_on <= {t} AND {sc}
         GROUP BY o.kind"
    );
    q.load(conn, text)
}

pub(super) fn communes_with_outreach(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<BTreeSet<String>> {
    let mut q = Sql::new(conn);
    let (f, t) = (q.date(from), q.date(to));
    let sc = q.scope("o", scope);
    // Events booked above the communes (province, VN: unit = province) hold no commune.
    let text = format!(
        "SELECT DISTINCT o.unit_code AS code FROM outreach_events o
         WHERE o.held_on >= {f} AND o.held_on <= {t} AND o.unit_code <> o.province_code AND {sc}"
    );
    codes(conn, q, text)
}

pub(super) fn communes_with_propagandists(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    to: NaiveDate,
) -> ApiResult<BTreeSet<String>> {
    let mut q = Sql::new(conn);
    let (t1, t2) = (q.date(to), q.date(to));
    let sc = q.scope("g", scope);
    let text = format!(
        "SELECT DISTINCT g.unit_code AS code FROM propagandists g
         WHERE g.from_date <= {t1} AND (g.to_date IS NULL OR g.to_date >= {t2}) AND {sc}"
    );
    codes(conn, q, text)
}

/// Models founded by `to` and not dissolved by then, by the last step they reached by `to`
/// (the highest `step_order` achieved): (step, models).
pub(super) fn models_by_step(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    to: NaiveDate,
) -> ApiResult<Vec<(String, i64)>> {
    let mut q = Sql::new(conn);
    let (t1, t2, t3, t4) = (q.date(to), q.date(to), q.date(to), q.date(to));
    let sc = q.scope("m", scope);
    let text = format!(
        "SELECT ms.step AS kind, CAST(NULL AS TEXT) AS sub, COUNT(DISTINCT m.id) AS n1,
                CAST(0 AS BIGINT) AS n2, CAST(0 AS BIGINT) AS n3
         FROM reintegration_models m
         JOIN model_milestones ms ON ms.model_id = m.id AND ms.achieved_on <= {t1}
         WHERE NOT EXISTS (SELECT 1 FROM model_milestones later
                           WHERE later.model_id = m.id AND later.achieved_on <= {t2}
                             AND later.step_order > ms.step_order)
           AND COALESCE(m.founding_decision_date, m.status_since) <= {t3}
           AND NOT (m.status = 'dissolved' AND m.status_since <= {t4}) AND {sc}
         GROUP BY ms.step"
    );
    Ok(q.load::<KindRow>(conn, text)?.into_iter().map(|r| (r.kind, r.n1)).collect())
}

/// Communes with a model whose latest review by `to` (latest `reviewed_on`, then the later
/// record) rates it `effective`.
pub(super) fn communes_with_effective_model(
    conn: &mut DbConnection,
    scope: &[Jurisdiction],
    to: NaiveDate,
) -> ApiResult<BTreeSet<String>> {
    let mut q = Sql::new(conn);
    let sc = q.scope("m", scope);
    let (t1, t2) = (q.date(to), q.date(to));
    let text = format!(
        "SELECT DISTINCT m.unit_code AS code
         FROM reintegration_models m
         JOIN model_reviews r ON r.model_id = m.id AND r.reviewed_on <= {t1}
         WHERE r.rating = 'effective' AND {sc}
           AND NOT EXISTS (SELECT 1 FROM model_reviews r2
                           WHERE r2.model_id = m.id AND r2.reviewed_on <= {t2}
                             AND (r2.reviewed_on > r.reviewed_on
                                  OR (r2.reviewed_on = r.reviewed_on AND r2.created_at > r.created_at)
                                  OR (r2.reviewed_on = r.reviewed_on AND r2.created_at = r.created_at
                                      AND r2.id > r.id)))"
    );
    codes(conn, q, text)
}
