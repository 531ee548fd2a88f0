//! The parcel card (一宗一卡): one parcel on A4 — map, codes, areas, use, land user, supply and
//! contract terms, planning indicators, status and history — as a PDF that prints anywhere.
//!
//! The CJK font is read at run time ([`find_cjk_font`]) and embedded as a subset: only the
//! glyphs the card uses, a few tens of kilobytes instead of the 5 MB face.

mod font;
mod map;
mod text;

use geo_types::MultiPolygon;
use jiff::civil::Date;
use landcycle_domain::{ChangeEvent, Enterprise, Parcel, Supply};
use printpdf::{ParsedFont, PdfDocument, PdfSaveOptions};
use rust_decimal::Decimal;

pub use font::{FONT_ENV, INSTALL_HINT, SYSTEM_FONTS, find_cjk_font};
pub use map::nice_length;
use text::{Writer, clip};

/// Why no card could be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CardError {
    /// No usable CJK font on this machine (the server answers 503).
    #[error("{0}")]
    NoFont(String),
    /// The font file could not be read or parsed.
    #[error("CJK font {path}: {reason}")]
    BadFont {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
}

/// Everything the card shows.
#[derive(Debug, Clone)]
pub struct CardData {
    /// The parcel (current version).
    pub parcel: Parcel,
    /// Its land user, when registered.
    pub enterprise: Option<Enterprise>,
    /// Supply records (出让/划拨 …), oldest first.
    pub supplies: Vec<Supply>,
    /// Every change event, oldest first.
    pub events: Vec<ChangeEvent>,
    /// Neighbouring parcels drawn around it: (宗地代码 or name, geometry).
    pub neighbours: Vec<(String, MultiPolygon<f64>)>,
    /// Date printed on the card.
    pub printed: Date,
}

fn dec(d: Option<Decimal>) -> String {
    d.map_or_else(|| "—".into(), |d| d.normalize().to_string())
}

fn date(d: Option<Date>) -> String {
    d.map_or_else(|| "—".into(), |d| d.to_string())
}

/// Reads the font file (index 0 of a .ttc collection).
pub fn load_font(path: &std::path::Path) -> Result<Vec<u8>, CardError> {
    std::fs::read(path).map_err(|e| CardError::BadFont {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Renders the card as PDF bytes with `font` (TrueType/OpenType or .ttc bytes) subset-embedded.
pub fn render(data: &CardData, font: &[u8], font_name: &str) -> Result<Vec<u8>, CardError> {
    let mut warnings = Vec::new();
    let parsed =
        ParsedFont::from_bytes(font, 0, &mut warnings).ok_or_else(|| CardError::BadFont {
            path: font_name.into(),
            reason: "not a TrueType/OpenType font".into(),
        })?;
    let p = &data.parcel;
    let code = p
        .code
        .as_ref()
        .map_or_else(|| "（未赋码）".into(), ToString::to_string);
    let mut doc = PdfDocument::new(&format!("宗地卡 {code}"));
    let font_id = doc.add_font(&parsed);
    let mut w = Writer::new(font_id);

    w.text(15.0, 282.0, 18.0, "宗地卡（一宗一卡）");
    w.text(
        120.0,
        282.0,
        9.0,
        &format!("打印日期 {}  第 {} 版", data.printed, p.version),
    );
    map::draw(
        &mut w,
        map::Frame {
            x: 15.0,
            y: 180.0,
            w: 92.0,
            h: 95.0,
        },
        &p.geometry,
        &data.neighbours,
    );

    // Basic facts beside the map.
    let area = p.computed_area_m2;
    let registered = p.registered_area_m2.map(|a| {
        format!(
            "{} 平方米（{} 亩）",
            a.display(),
            a.to_mu().0.round_dp(4).normalize()
        )
    });
    let land_use = format!(
        "{} {}",
        p.land_use.code,
        p.land_use.name_zh().unwrap_or_default()
    );
    let (user_name, uscc) = match (&data.enterprise, &p.enterprise) {
        (Some(e), _) => (e.name.clone(), e.uscc.to_string()),
        (None, Some(u)) => ("（未登记企业）".into(), u.to_string()),
        (None, None) => ("—".into(), "—".into()),
    };
    let facts: Vec<(&str, String)> = vec![
        ("宗地代码", code.clone()),
        ("宗地名称", clip(&p.name, 20)),
        ("坐落", clip(p.address.as_deref().unwrap_or("—"), 20)),
        ("行政区", p.jurisdiction.to_string()),
        ("土地用途", clip(&land_use, 20)),
        ("状态", p.status.label_zh().into()),
        (
            "计算面积",
            format!(
                "{} 平方米（{} 亩）",
                area.display(),
                area.to_mu().0.round_dp(4).normalize()
            ),
        ),
        ("证载面积", registered.unwrap_or_else(|| "—".into())),
        ("用地单位", clip(&user_name, 20)),
        ("统一社会信用代码", uscc),
        ("有效期起", p.valid_from.to_string()),
    ];
    let mut y = 268.0;
    for (k, v) in &facts {
        w.text(112.0, y, 8.0, k);
        w.text(140.0, y, 8.5, v);
        y -= 7.5;
    }

    // Planning indicators (规划条件).
    w.y = 170.0;
    w.line(15.0, 11.0, 7.0, "规划指标");
    let pc = &p.planning;
    w.row(
        &[
            (
                15.0,
                &format!("容积率 {} — {}", dec(pc.far_min), dec(pc.far_max)),
            ),
            (
                70.0,
                &format!("建筑密度下限 {}", dec(pc.building_coverage_min)),
            ),
            (120.0, &format!("绿地率上限 {}", dec(pc.green_ratio_max))),
            (165.0, &format!("限高 {} 米", dec(pc.height_max_m))),
        ],
        8.5,
        9.0,
    );

    // Supply and contract terms (供地与合同).
    w.line(15.0, 11.0, 7.0, "供地与合同");
    let cols = [15.0, 32.0, 70.0, 92.0, 114.0, 136.0, 150.0, 172.0];
    w.row(
        &[
            (cols[0], "方式"),
            (cols[1], "合同编号"),
            (cols[2], "签订日期"),
            (cols[3], "约定开工"),
            (cols[4], "约定竣工"),
            (cols[5], "年限"),
            (cols[6], "价款（元）"),
            (cols[7], "受让人"),
        ],
        8.0,
        6.0,
    );
    if data.supplies.is_empty() {
        w.line(15.0, 8.0, 6.0, "（无供地记录）");
    }
    for s in &data.supplies {
        w.row(
            &[
                (cols[0], s.mode.label_zh()),
                (cols[1], &clip(&s.contract_no, 16)),
                (cols[2], &s.contract_date.to_string()),
                (cols[3], &date(s.agreed_start)),
                (cols[4], &date(s.agreed_completion)),
                (
                    cols[5],
                    &s.term_years
                        .map_or_else(|| "—".into(), |t| format!("{t} 年")),
                ),
                (cols[6], &s.price.0.normalize().to_string()),
                (cols[7], &s.enterprise.to_string()),
            ],
            7.5,
            6.0,
        );
    }

    // History (变更记录): every event, flowing onto a second page when long.
    w.y -= 3.0;
    w.line(15.0, 11.0, 7.0, "变更记录");
    for e in &data.events {
        let reason = match &e.reason.reference {
            Some(r) => format!("{}（{r}）", e.reason.reason),
            None => e.reason.reason.clone(),
        };
        w.row(
            &[
                (15.0, &e.effective.to_string()),
                (38.0, e.kind.label_zh()),
                (55.0, &clip(&e.actor.0, 12)),
                (85.0, &clip(&reason, 44)),
            ],
            7.5,
            5.5,
        );
    }
    let pages = w.finish();
    let opts = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut save_warnings = Vec::new();
    let bytes = doc.with_pages(pages).save(&opts, &mut save_warnings);
    Ok(bytes)
}
