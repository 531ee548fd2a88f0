//! `landcycle export --kind parcels --format F --out FILE [filters]`: the parcels of a filtered
//! list to Excel (Chinese headers), GeoPackage, Shapefile, GeoJSON, FlatGeobuf or CSV.

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use landcycle_domain::{ParcelLifecycle, ParkId};
use landcycle_geo::Crs;
use landcycle_io::export::{
    ExportMeta, ExportOptions, Format, Lang, export_parcels, fetch_parcels, text_encoding,
};
use landcycle_store::{ParcelQuery, SqliteStore, Store};
use std::path::{Path, PathBuf};

/// What to export.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum KindArg {
    /// 宗地 (one polygon per row).
    Parcels,
}

/// Output format.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// Excel workbook with Chinese headers (English with `--lang en`) and a 说明 sheet.
    Xlsx,
    /// GeoPackage, layer `parcels`.
    Gpkg,
    /// Shapefile (.shp/.shx/.dbf/.prj/.cpg).
    Shp,
    /// GeoJSON (RFC 7946, lon/lat).
    Geojson,
    /// CSV (UTF-8 with BOM) with a WKT column.
    Csv,
    /// FlatGeobuf with its spatial index, layer `parcels`.
    Fgb,
}

/// Header language.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LangArg {
    /// 中文表头.
    Zh,
    /// English headers.
    En,
}

/// `landcycle export` arguments.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// What to export.
    #[arg(long, value_enum, default_value = "parcels")]
    kind: KindArg,
    /// Output format.
    #[arg(long, value_enum)]
    format: FormatArg,
    /// Output file (for a Shapefile the .shp; the other parts are written beside it).
    #[arg(long)]
    out: PathBuf,
    /// Only this park.
    #[arg(long)]
    park: Option<String>,
    /// Only these lifecycle statuses (comma-separated API names or Chinese labels).
    #[arg(long, value_delimiter = ',')]
    status: Vec<String>,
    /// The parcels as they were on this date (YYYY-MM-DD).
    #[arg(long)]
    as_of: Option<String>,
    /// Only parcels meeting `min_lon,min_lat,max_lon,max_lat` (CGCS2000).
    #[arg(long)]
    bbox: Option<String>,
    /// Output CRS, e.g. EPSG:4547 (CGCS2000 GK CM 114E); EPSG:4490 by default.
    #[arg(long, default_value = "EPSG:4490")]
    crs: String,
    /// Header language of xlsx and CSV, and of status values.
    #[arg(long, value_enum, default_value = "zh")]
    lang: LangArg,
    /// Text encoding of Shapefile and CSV text: UTF-8 or GBK.
    #[arg(long, default_value = "UTF-8")]
    encoding: String,
}

fn query(a: &ExportArgs) -> anyhow::Result<ParcelQuery> {
    let mut q = ParcelQuery {
        limit: 1_000,
        ..ParcelQuery::default()
    };
    if let Some(p) = &a.park {
        q.park = Some(ParkId::parse(p).map_err(|e| anyhow::anyhow!("--park: {e}"))?);
    }
    for s in a.status.iter().filter(|s| !s.trim().is_empty()) {
        q.status
            .push(ParcelLifecycle::parse(s.trim()).map_err(|e| anyhow::anyhow!("--status: {e}"))?);
    }
    if let Some(d) = &a.as_of {
        q.as_of = Some(
            d.parse()
                .with_context(|| format!("--as-of {d}: not a date (YYYY-MM-DD)"))?,
        );
    }
    if let Some(b) = &a.bbox {
        let v: Vec<f64> = b
            .split(',')
            .map(|x| x.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .with_context(|| format!("--bbox {b}: four numbers expected"))?;
        let [a0, a1, a2, a3] = v[..] else {
            bail!("--bbox {b}: four numbers expected (min_lon,min_lat,max_lon,max_lat)");
        };
        q.bbox = Some([a0, a1, a2, a3]);
    }
    Ok(q)
}

fn bar(label: &str) -> ProgressBar {
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(label.to_owned());
    pb
}

/// True when the store holds the synthetic demo population (written by the `demo` actor).
fn is_demo<S: Store>(store: &S, first: Option<&landcycle_domain::Parcel>) -> bool {
    first
        .and_then(|p| store.events_of(&p.id.to_string()).ok())
        .is_some_and(|ev| ev.iter().any(|e| e.actor.0 == "demo"))
}

/// Runs the export.
pub fn run(db: &Path, a: ExportArgs) -> anyhow::Result<()> {
    let KindArg::Parcels = a.kind;
    if !db.exists() {
        bail!(
            "no store at {} (run `landcycle demo` or give --db)",
            db.display()
        );
    }
    let q = query(&a)?;
    let crs = Crs::parse(&a.crs).map_err(|e| anyhow::anyhow!("--crs {}: {e}", a.crs))?;
    let encoding = text_encoding(&a.encoding)
        .with_context(|| format!("--encoding {}: use UTF-8 or GBK", a.encoding))?;
    let store = SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))?;
    let pb = bar("读取 / read");
    let parcels = fetch_parcels(&store, &q, &mut |done, total| {
        pb.set_length(total as u64);
        pb.set_position(done as u64);
    })?;
    pb.finish();
    let format = match a.format {
        FormatArg::Xlsx => Format::Xlsx,
        FormatArg::Gpkg => Format::Gpkg,
        FormatArg::Shp => Format::Shp,
        FormatArg::Geojson => Format::GeoJson,
        FormatArg::Csv => Format::Csv,
        FormatArg::Fgb => Format::Fgb,
    };
    let mut filters = vec![];
    if let Some(p) = &a.park {
        filters.push(format!("park={p}"));
    }
    if !a.status.is_empty() {
        filters.push(format!("status={}", a.status.join(",")));
    }
    if let Some(d) = &a.as_of {
        filters.push(format!("as_of={d}"));
    }
    if let Some(b) = &a.bbox {
        filters.push(format!("bbox={b}"));
    }
    let opts = ExportOptions {
        format,
        crs,
        lang: match a.lang {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        },
        encoding,
        meta: ExportMeta {
            source: format!(
                "landcycle {} ({}){}",
                db.display(),
                env!("CARGO_PKG_VERSION"),
                if filters.is_empty() {
                    String::new()
                } else {
                    format!(", {}", filters.join(" "))
                }
            ),
            exported_at: jiff::Timestamp::now().to_string(),
            synthetic: is_demo(&store, parcels.first()),
        },
    };
    let pb = bar("写入 / write");
    export_parcels(&parcels, &a.out, &opts, &mut |done, total| {
        pb.set_length(total as u64);
        pb.set_position(done as u64);
    })?;
    pb.finish();
    println!(
        "{} parcels → {} ({}, {})",
        parcels.len(),
        a.out.display(),
        format.extension(),
        crs
    );
    Ok(())
}
