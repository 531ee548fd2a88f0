//! Mapping between rows and domain records.

use crate::error::StoreError;
use crate::model::AttachmentMeta;
use jiff::Timestamp;
use jiff::civil::Date;
use landcycle_domain::{
    Actor, AdminCode, ChangeEvent, ChangeKind, ChangeReason, Enterprise, EntityKind,
    LandRightNature, LandUse, LandUseSystem, Parcel, ParcelId, ParcelLifecycle, Park, ParkId,
    Supply, SupplyId, SupplyMode, Uscc, ZongdiCode, figures::AnnualFigures, park::Jurisdiction,
    park::TaxPerMuTarget, units::AreaM2, units::Yuan,
};
use rusqlite::Row;
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

/// Columns of `parcels` and `parcel_versions`, in the order [`parcel_from_row`] reads them.
pub const PARCEL_COLS: &str = "parcel_id, version, code, name, address, jurisdiction, park_id, land_use_system,
 land_use_code, status, computed_area_m2, registered_area_m2, enterprise_uscc, legacy_codes, planning, parents,
 valid_from, valid_to, geom";

fn corrupt(what: &str, e: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("{what}: {e}").into(),
    )
}

/// A parsed column value, or a conversion error naming the column.
pub fn parse_field<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> rusqlite::Result<T> {
    parse(what, r)
}

fn parse<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> rusqlite::Result<T> {
    r.map_err(|e| corrupt(what, e))
}

pub fn date(s: &str) -> rusqlite::Result<Date> {
    parse("date", Date::from_str(s))
}

pub fn opt_date(s: Option<String>) -> rusqlite::Result<Option<Date>> {
    s.as_deref().map(date).transpose()
}

pub fn dec(s: &str) -> rusqlite::Result<Decimal> {
    parse("decimal", Decimal::from_str(s))
}

pub fn json<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    parse("json", serde_json::from_str(s))
}

/// Reads a parcel from a row selected with [`PARCEL_COLS`].
pub fn parcel_from_row(r: &Row<'_>) -> rusqlite::Result<Parcel> {
    let id: String = r.get(0)?;
    let code: Option<String> = r.get(2)?;
    let system: String = r.get(7)?;
    let status: String = r.get(9)?;
    let park: Option<String> = r.get(6)?;
    let uscc: Option<String> = r.get(12)?;
    let registered: Option<String> = r.get(11)?;
    let geom: Vec<u8> = r.get(18)?;
    let geometry = parse(
        "geometry",
        landcycle_geo::decode_gpkg(&geom).and_then(landcycle_geo::to_multipolygon),
    )?;
    let parents: Vec<Uuid> = json(&r.get::<_, String>(15)?)?;
    Ok(Parcel {
        id: ParcelId(parse("parcel_id", Uuid::parse_str(&id))?),
        version: r.get(1)?,
        code: code
            .as_deref()
            .map(ZongdiCode::parse)
            .transpose()
            .map_err(|e| corrupt("code", e))?,
        name: r.get(3)?,
        address: r.get(4)?,
        jurisdiction: parse("jurisdiction", AdminCode::parse(&r.get::<_, String>(5)?))?,
        park_id: park
            .as_deref()
            .map(ParkId::parse)
            .transpose()
            .map_err(|e| corrupt("park_id", e))?,
        land_use: LandUse {
            system: parse("land_use_system", LandUseSystem::parse(&system))?,
            code: r.get(8)?,
        },
        status: parse("status", ParcelLifecycle::parse(&status))?,
        computed_area_m2: AreaM2(dec(&r.get::<_, String>(10)?)?),
        registered_area_m2: registered.as_deref().map(dec).transpose()?.map(AreaM2),
        enterprise: uscc
            .as_deref()
            .map(Uscc::parse)
            .transpose()
            .map_err(|e| corrupt("enterprise_uscc", e))?,
        legacy_codes: json(&r.get::<_, String>(13)?)?,
        planning: json(&r.get::<_, String>(14)?)?,
        parents: parents.into_iter().map(ParcelId).collect(),
        valid_from: date(&r.get::<_, String>(16)?)?,
        valid_to: opt_date(r.get(17)?)?,
        geometry,
    })
}

/// Columns of `parks` in the order [`park_from_row`] reads them.
pub const PARK_COLS: &str = "park_id, name, aliases, jurisdiction, jurisdiction_name, lead_industries, tax_per_mu_min_wan, tax_per_mu_max_wan, area_km2, roles, geom";

pub fn park_from_row(r: &Row<'_>) -> rusqlite::Result<Park> {
    let geom: Option<Vec<u8>> = r.get(10)?;
    let boundary = geom
        .map(|g| landcycle_geo::decode_gpkg(&g).and_then(landcycle_geo::to_multipolygon))
        .transpose()
        .map_err(|e| corrupt("geom", e))?;
    let max: Option<String> = r.get(7)?;
    let area: Option<String> = r.get(8)?;
    Ok(Park {
        id: parse("park_id", ParkId::parse(&r.get::<_, String>(0)?))?,
        name: r.get(1)?,
        aliases: json(&r.get::<_, String>(2)?)?,
        jurisdiction: Jurisdiction {
            code: parse("jurisdiction", AdminCode::parse(&r.get::<_, String>(3)?))?,
            name: r.get(4)?,
        },
        lead_industries: json(&r.get::<_, String>(5)?)?,
        tax_per_mu_target: TaxPerMuTarget {
            min_wan: dec(&r.get::<_, String>(6)?)?,
            max_wan: max.as_deref().map(dec).transpose()?,
        },
        area_km2: area.as_deref().map(dec).transpose()?,
        roles: json(&r.get::<_, String>(9)?)?,
        boundary,
    })
}

pub const ENTERPRISE_COLS: &str = "uscc, name, industry_code, above_scale, park_id, address";

pub fn enterprise_from_row(r: &Row<'_>) -> rusqlite::Result<Enterprise> {
    let park: Option<String> = r.get(4)?;
    Ok(Enterprise {
        uscc: parse("uscc", Uscc::parse(&r.get::<_, String>(0)?))?,
        name: r.get(1)?,
        industry_code: r.get(2)?,
        above_scale: r.get(3)?,
        park_id: park
            .as_deref()
            .map(ParkId::parse)
            .transpose()
            .map_err(|e| corrupt("park_id", e))?,
        address: r.get(5)?,
    })
}

pub const SUPPLY_COLS: &str =
    "supply_id, parcel_id, enterprise_uscc, mode, right_nature, contract_no, contract_date,
 delivery_date, agreed_start, agreed_completion, term_years, price_yuan";

pub fn mode_str(m: SupplyMode) -> &'static str {
    match m {
        SupplyMode::Grant => "grant",
        SupplyMode::Allocation => "allocation",
        SupplyMode::Lease => "lease",
        SupplyMode::LeaseThenTransfer => "lease_then_transfer",
        SupplyMode::CapitalContribution => "capital_contribution",
    }
}

pub fn supply_from_row(r: &Row<'_>) -> rusqlite::Result<Supply> {
    let mode: String = r.get(3)?;
    let mode = SupplyMode::ALL
        .into_iter()
        .find(|m| mode_str(*m) == mode)
        .ok_or_else(|| corrupt("mode", &mode))?;
    Ok(Supply {
        id: SupplyId(parse(
            "supply_id",
            Uuid::parse_str(&r.get::<_, String>(0)?),
        )?),
        parcel_id: ParcelId(parse(
            "parcel_id",
            Uuid::parse_str(&r.get::<_, String>(1)?),
        )?),
        enterprise: parse("enterprise_uscc", Uscc::parse(&r.get::<_, String>(2)?))?,
        mode,
        right_nature: parse("right_nature", LandRightNature::from_code(r.get(4)?))?,
        contract_no: r.get(5)?,
        contract_date: date(&r.get::<_, String>(6)?)?,
        delivery_date: opt_date(r.get(7)?)?,
        agreed_start: opt_date(r.get(8)?)?,
        agreed_completion: opt_date(r.get(9)?)?,
        term_years: r.get(10)?,
        price: Yuan(dec(&r.get::<_, String>(11)?)?),
    })
}

pub const FIGURES_COLS: &str = "uscc, year, tax_yuan, output_yuan, electricity_kwh, employees";

pub fn figures_from_row(r: &Row<'_>) -> rusqlite::Result<AnnualFigures> {
    let out: Option<String> = r.get(3)?;
    let kwh: Option<String> = r.get(4)?;
    Ok(AnnualFigures {
        uscc: parse("uscc", Uscc::parse(&r.get::<_, String>(0)?))?,
        year: r.get(1)?,
        tax_yuan: dec(&r.get::<_, String>(2)?)?,
        output_yuan: out.as_deref().map(dec).transpose()?,
        electricity_kwh: kwh.as_deref().map(dec).transpose()?,
        employees: r.get(5)?,
    })
}

pub const EVENT_COLS: &str = "seq, entity, entity_id, kind, actor, recorded_at, effective, reason, reference, before, after, related";

fn entity_of(s: &str) -> rusqlite::Result<EntityKind> {
    [
        EntityKind::Parcel,
        EntityKind::Park,
        EntityKind::Enterprise,
        EntityKind::Supply,
        EntityKind::Attachment,
        EntityKind::Workflow,
        EntityKind::Batch,
        EntityKind::Import,
    ]
    .into_iter()
    .find(|k| k.as_str() == s)
    .ok_or_else(|| corrupt("entity", s))
}

pub fn event_from_row(r: &Row<'_>) -> rusqlite::Result<ChangeEvent> {
    let kind: String = r.get(3)?;
    let before: Option<String> = r.get(9)?;
    let after: Option<String> = r.get(10)?;
    Ok(ChangeEvent {
        seq: r.get(0)?,
        entity: entity_of(&r.get::<_, String>(1)?)?,
        entity_id: r.get(2)?,
        kind: ChangeKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        actor: Actor(r.get(4)?),
        recorded_at: parse("recorded_at", Timestamp::from_str(&r.get::<_, String>(5)?))?,
        effective: date(&r.get::<_, String>(6)?)?,
        reason: ChangeReason {
            reason: r.get(7)?,
            reference: r.get(8)?,
        },
        before: before.as_deref().map(json).transpose()?,
        after: after.as_deref().map(json).transpose()?,
        related: json(&r.get::<_, String>(11)?)?,
    })
}

pub fn attachment_from_row(r: &Row<'_>) -> rusqlite::Result<AttachmentMeta> {
    Ok(AttachmentMeta {
        sha256: r.get(0)?,
        name: r.get(1)?,
        content_type: r.get(2)?,
        size: r.get(3)?,
        uploaded_by: r.get(4)?,
        uploaded_at: parse("uploaded_at", Timestamp::from_str(&r.get::<_, String>(5)?))?,
    })
}

/// Maps a row-conversion failure to a store error that says the file is damaged.
pub fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}
