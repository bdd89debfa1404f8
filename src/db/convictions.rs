//! Convictions of a person, and the expungement facts derived from them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{convictions as c, judicial_record_requests as jr};
use super::DbConnection;
use crate::domain::enums::{ObligationKind, OffenceGroup, PrincipalKind, ReleaseType, SupplementaryKind};
use crate::domain::expungement as rules;
use crate::dto::convictions::{Conviction, ConvictionInput, Obligation, Principal, Supplementary};
use crate::error::ApiResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = c)]
pub struct ConvictionRow {
    pub id: String,
    pub person_id: String,
    pub judgment_number: String,
    pub court: String,
    pub judgment_date: NaiveDate,
    pub offence_articles: String,
    pub offence_group: String,
    pub chapter: i32,
    pub principal_kind: String,
    pub principal_months: Option<i32>,
    pub supplementary: String,
    pub obligations: String,
    pub detention_facility: Option<String>,
    pub sentence_completed_on: Option<NaiveDate>,
    pub release_date: Option<NaiveDate>,
    pub release_type: Option<String>,
    pub certificate_number: Option<String>,
    pub certificate_date: Option<NaiveDate>,
    pub probation_end: Option<NaiveDate>,
    pub new_offence: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

impl ConvictionRow {
    pub fn from_input(person_id: &str, input: &ConvictionInput) -> ConvictionRow {
        let now = crate::time::now();
        ConvictionRow {
            id: uuid::Uuid::now_v7().to_string(),
            person_id: person_id.to_string(),
            judgment_number: input.judgment_number.trim().to_string(),
            court: crate::text::normalize(&input.court),
            judgment_date: input.judgment_date,
            offence_articles: input.offence_articles.iter().map(|a| a.trim()).collect::<Vec<_>>().join(","),
            offence_group: input.offence_group.as_str().to_string(),
            chapter: input.chapter,
            principal_kind: input.principal.kind.as_str().to_string(),
            principal_months: input.principal.months,
            supplementary: serde_json::to_string(&input.supplementary).unwrap_or_else(|_| "[]".into()),
            obligations: serde_json::to_string(&input.obligations).unwrap_or_else(|_| "[]".into()),
            detention_facility: input.detention_facility.clone(),
            sentence_completed_on: input.sentence_completed_on.or(input.release_date),
            release_date: input.release_date,
            release_type: input.release_type.map(|t| t.as_str().to_string()),
            certificate_number: input.certificate_number.clone(),
            certificate_date: input.certificate_date,
            probation_end: input.probation_end,
            new_offence: input.new_offence,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    fn supplementary(&self) -> Vec<Supplementary> {
        serde_json::from_str(&self.supplementary).unwrap_or_default()
    }

    fn obligations(&self) -> Vec<Obligation> {
        serde_json::from_str(&self.obligations).unwrap_or_default()
    }

    pub fn view(&self) -> Conviction {
        Conviction {
            id: self.id.clone(),
            person_id: self.person_id.clone(),
            judgment_number: self.judgment_number.clone(),
            court: self.court.clone(),
            judgment_date: self.judgment_date,
            offence_articles: self.offence_articles.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
            offence_group: OffenceGroup::parse(&self.offence_group).unwrap_or(OffenceGroup::Other),
            chapter: self.chapter,
            principal: Principal {
                kind: PrincipalKind::parse(&self.principal_kind).unwrap_or(PrincipalKind::Imprisonment),
                months: self.principal_months,
            },
            supplementary: self.supplementary(),
            obligations: self.obligations(),
            detention_facility: self.detention_facility.clone(),
            sentence_completed_on: self.sentence_completed_on,
            release_date: self.release_date,
            release_type: self.release_type.as_deref().and_then(ReleaseType::parse),
            certificate_number: self.certificate_number.clone(),
            certificate_date: self.certificate_date,
            probation_end: self.probation_end,
            new_offence: self.new_offence,
            created_at: self.created_at.and_utc(),
            version: self.version,
        }
    }

    /// The facts the expungement rules need.
    pub fn facts(&self) -> rules::ConvictionFacts {
        let principal = match PrincipalKind::parse(&self.principal_kind) {
            Some(PrincipalKind::Warning) => rules::PrincipalPenalty::Warning,
            Some(PrincipalKind::Fine) => rules::PrincipalPenalty::Fine,
            Some(PrincipalKind::NonCustodialReform) => rules::PrincipalPenalty::NonCustodialReform,
            Some(PrincipalKind::Suspended) => rules::PrincipalPenalty::Suspended,
            Some(PrincipalKind::Life) => rules::PrincipalPenalty::Life,
            Some(PrincipalKind::DeathCommuted) => rules::PrincipalPenalty::DeathCommuted,
            _ => rules::PrincipalPenalty::Imprisonment { months: self.principal_months.unwrap_or(0).max(0) as u32 },
        };
        rules::ConvictionFacts {
            judgment_number: self.judgment_number.clone(),
            chapter: self.chapter.clamp(0, 255) as u8,
            principal,
            principal_completed_on: self.sentence_completed_on,
            supplementary: self
                .supplementary()
                .into_iter()
                .map(|s| rules::SupplementaryPenalty {
                    kind: supplementary_label(s.kind).to_string(),
                    ends_on: s.ends_on,
                    completed_on: s.completed_on,
                })
                .collect(),
            obligations: self
                .obligations()
                .into_iter()
                .map(|o| rules::Obligation {
                    kind: obligation_label(o.kind).to_string(),
                    amount_vnd: o.amount_vnd,
                    paid: o.paid,
                    paid_on: o.paid_on,
                })
                .collect(),
        }
    }
}

fn supplementary_label(kind: SupplementaryKind) -> &'static str {
    match kind {
        SupplementaryKind::Probation => "probation (quản chế)",
        SupplementaryKind::ResidenceBan => "residence ban (cấm cư trú)",
        SupplementaryKind::PostBan => "ban on holding posts",
        SupplementaryKind::ProfessionBan => "ban on practising a profession",
        SupplementaryKind::LossOfCivicRights => "loss of civic rights",
        SupplementaryKind::Fine => "supplementary fine",
        SupplementaryKind::Confiscation => "confiscation of property",
        SupplementaryKind::Expulsion => "expulsion",
        SupplementaryKind::Other => "supplementary penalty",
    }
}

fn obligation_label(kind: ObligationKind) -> &'static str {
    match kind {
        ObligationKind::CivilCompensation => "civil compensation",
        ObligationKind::CourtFees => "court fees",
        ObligationKind::Restitution => "restitution",
        ObligationKind::Other => "obligation",
    }
}

pub fn insert(conn: &mut DbConnection, row: &ConvictionRow) -> ApiResult<()> {
    diesel::insert_into(c::table).values(row).execute(conn)?;
    Ok(())
}

pub fn for_person(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<ConvictionRow>> {
    Ok(c::table
        .filter(c::person_id.eq(person_id))
        .order((c::judgment_date.asc(), c::id.asc()))
        .select(ConvictionRow::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = jr)]
pub struct JudicialRecordRow {
    pub id: String,
    pub person_id: String,
    pub requested_on: NaiveDate,
    pub purpose: Option<String>,
    pub outcome: String,
    pub certificate_number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub issuer: Option<String>,
    pub created_at: NaiveDateTime,
}

impl JudicialRecordRow {
    pub fn view(&self) -> crate::dto::convictions::JudicialRecordRequest {
        crate::dto::convictions::JudicialRecordRequest {
            id: self.id.clone(),
            person_id: self.person_id.clone(),
            requested_on: self.requested_on,
            purpose: self.purpose.clone(),
            outcome: self.outcome.clone(),
            certificate_number: self.certificate_number.clone(),
            issued_on: self.issued_on,
            issuer: self.issuer.clone(),
            created_at: self.created_at.and_utc(),
        }
    }
}

pub fn insert_judicial_record(conn: &mut DbConnection, row: &JudicialRecordRow) -> ApiResult<()> {
    diesel::insert_into(jr::table).values(row).execute(conn)?;
    Ok(())
}

pub fn judicial_records(conn: &mut DbConnection, person_id: &str) -> ApiResult<Vec<JudicialRecordRow>> {
    Ok(jr::table
        .filter(jr::person_id.eq(person_id))
        .order(jr::id.asc())
        .select(JudicialRecordRow::as_select())
        .load(conn)?)
}
