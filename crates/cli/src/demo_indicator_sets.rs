//! The demo's published 标准地 indicator sets (§4.2): one per park for 高端装备制造业, version
//! 2024版, in force from 2024-01-01 — the §4.2 default with a 投资强度 floor of 155 万元/亩, the
//! park's own 亩均税收 target and a 绿地率 ceiling checked at completion — written through the
//! registry as a park's 管委会 publishes them, so applications in that industry are checked
//! against a stored set and say so.

use jiff::civil::{Date, date};
use landcycle_demo::DemoData;
use landcycle_domain::workflow::indicator_sets::{PublishedSet, default_set};
use landcycle_domain::workflow::standard_land::{
    CheckStage, Direction, Indicator, IndicatorSet, IndicatorSlot,
};
use landcycle_store::{Registry, Store, WfKind, WfRecord, WriteMeta};
use rust_decimal::Decimal;

/// The industry the demo's sets (and its 标准地 project) are for.
pub const INDUSTRY: &str = "高端装备制造业";

/// The day the demo's sets take effect.
pub const EFFECTIVE: Date = date(2024, 1, 1);

/// Publishes one set per park; returns them (with their ids) in park order.
pub fn store<S: Store + ?Sized>(
    reg: &Registry<S>,
    data: &DemoData,
    meta: &impl Fn(&str, Date) -> WriteMeta,
) -> anyhow::Result<Vec<IndicatorSet>> {
    let mut out = Vec::new();
    for park in &data.parks {
        let mut set = default_set(
            park.id.clone(),
            INDUSTRY,
            park.tax_per_mu_target.min_wan,
            EFFECTIVE,
        );
        set.id = Some(format!("IS-{}-0001", park.id.as_str()));
        set.version = "2024版".into();
        set.source = format!("{}标准地控制性指标体系（演示数据）", park.name);
        if let Some(i) = set
            .indicators
            .iter_mut()
            .find(|i| i.code == "investment_intensity_wan_per_mu")
        {
            i.target = Decimal::from(155);
        }
        set.indicators.push(Indicator {
            code: "green_ratio_max".into(),
            name_zh: "绿地率".into(),
            unit: String::new(),
            direction: Direction::AtMost,
            target: Decimal::new(20, 2),
            stages: vec![CheckStage::Completion],
            slot: IndicatorSlot::Optional,
        });
        set.validate_for_publication()?;
        let doc = PublishedSet {
            set: set.clone(),
            published_by: "demo".into(),
            published_on: date(2023, 12, 20),
            reason: "管委会发布标准地控制性指标体系（演示数据）".into(),
        };
        reg.put_workflow(
            WfRecord {
                kind: WfKind::IndicatorSet,
                id: set.id.clone().unwrap_or_default(),
                version: 0,
                park_id: Some(park.id.clone()),
                jurisdiction: Some(park.jurisdiction.code.clone()),
                parcel_id: None,
                enterprise: None,
                status: "published".into(),
                due: None,
                updated_at: jiff::Timestamp::UNIX_EPOCH,
                doc: serde_json::to_value(&doc)?,
            },
            None,
            &meta("标准地指标体系（演示数据）", date(2023, 12, 20)),
        )?;
        out.push(set);
    }
    Ok(out)
}
