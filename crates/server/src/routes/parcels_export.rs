//! `GET /api/parcels?…&format=xlsx|csv|gpkg|shp|fgb`: the whole filtered list as a file, written
//! by the same export as `landcycle export` (Chinese headers with units, `.prj`/`.cpg`, CGCS2000
//! by default). A Shapefile comes as one zip of its parts. GeoJSON is the list itself
//! (`f=geojson`, paged); its file form with Chinese headers is `landcycle export --format
//! geojson`, kept off this endpoint because one media type cannot carry two documented shapes.

use crate::auth::Guard;
use crate::error::{ApiError, ApiResult};
use crate::extract::Params;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use landcycle_geo::Crs;
use landcycle_io::export::{
    ExportMeta, ExportOptions, Format, Lang, export_parcels_download, fetch_parcels, text_encoding,
};
use landcycle_store::ParcelQuery;

/// The most parcels one download holds; larger lists are for `landcycle export`, which streams
/// pages to a file with a progress bar instead of holding a request open.
pub(crate) const MAX_EXPORT: u64 = 100_000;

/// The download parameters, besides the list's filters.
pub(crate) const EXPORT_PARAMS: &[&str] = &["format", "crs", "lang", "encoding"];

/// The export a request asks for with `format=…`, or `None` for the JSON page.
pub(crate) fn wanted(p: &Params) -> ApiResult<Option<ExportOptions>> {
    // `format=json` is the page itself, as without `format`.
    let Some(format) = p
        .parse(
            "format",
            "json, xlsx, csv, gpkg, shp or fgb",
            "json、xlsx、csv、gpkg、shp 或 fgb",
            |v| match v {
                "json" => Some(None),
                "xlsx" => Some(Some(Format::Xlsx)),
                "csv" => Some(Some(Format::Csv)),
                "gpkg" => Some(Some(Format::Gpkg)),
                "shp" => Some(Some(Format::Shp)),
                "fgb" => Some(Some(Format::Fgb)),
                _ => None,
            },
        )?
        .flatten()
    else {
        for k in ["crs", "lang", "encoding"] {
            // Present at all (even empty) without a download is a mistake worth naming.
            if let Some(v) = p.0.get(k) {
                return Err(ApiError::bad_field(
                    k,
                    Some(v),
                    "only with format=… (a file download)",
                    "仅用于文件下载（需同时给出 format）",
                ));
            }
        }
        return Ok(None);
    };
    let crs = p
        .parse(
            "crs",
            "an EPSG code such as EPSG:4490 or EPSG:4547",
            "EPSG 代码，如 EPSG:4490、EPSG:4547",
            |v| Crs::parse(v).ok().filter(|c| c.check().is_ok()),
        )?
        .unwrap_or(Crs::Cgcs2000Geographic);
    let lang = p
        .parse("lang", "zh or en", "zh 或 en", |v| match v {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        })?
        .unwrap_or_default();
    let encoding = p
        .parse("encoding", "UTF-8 or GBK", "UTF-8 或 GBK", text_encoding)?
        .unwrap_or(ExportOptions::default().encoding);
    Ok(Some(ExportOptions {
        format,
        crs,
        lang,
        encoding,
        meta: ExportMeta::default(),
    }))
}

/// The request's filters as the 说明 sheet names them (`?park=weidu&status=operating`).
fn filters_of(params: &Params) -> String {
    let f: Vec<String> = params
        .0
        .iter()
        .filter(|(k, _)| !["limit", "offset", "f"].contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if f.is_empty() {
        String::new()
    } else {
        format!("?{}", f.join("&"))
    }
}

/// Every parcel of `q` in the caller's scope, written as `opts` asks.
pub(crate) async fn download(
    guard: Guard,
    mut q: ParcelQuery,
    mut opts: ExportOptions,
    params: &Params,
) -> ApiResult<Response> {
    let filters = filters_of(params);
    let today = jiff::Zoned::now().date();
    let file = guard
        .run(move |c| {
            c.scope_parcels(&mut q)?;
            let count = c.store().parcels(&ParcelQuery {
                limit: 1,
                offset: 0,
                ..q.clone()
            })?;
            if count.total > MAX_EXPORT {
                return Err(ApiError::bad_field(
                    "format",
                    None,
                    format!(
                        "{} parcels match; a download holds at most {MAX_EXPORT}: narrow the \
                         filter or use `landcycle export`",
                        count.total
                    ),
                    format!(
                        "符合条件的宗地有 {} 宗，单次下载最多 {MAX_EXPORT} 宗：请缩小筛选范围或使用 landcycle export",
                        count.total
                    ),
                ));
            }
            let parcels = fetch_parcels(
                c.store(),
                &ParcelQuery {
                    limit: 1_000,
                    offset: 0,
                    ..q
                },
                &mut |_, _| {},
            )?;
            opts.meta = ExportMeta {
                source: format!(
                    "landcycle {} GET /api/parcels{filters}",
                    env!("CARGO_PKG_VERSION")
                ),
                exported_at: jiff::Timestamp::now().to_string(),
                synthetic: parcels.first().is_some_and(|p| {
                    c.store()
                        .events_of(&p.id.to_string())
                        .is_ok_and(|ev| ev.iter().any(|e| e.actor.0 == "demo"))
                }),
            };
            export_parcels_download(&parcels, &opts, &format!("parcels-{today}"))
                .map_err(|e| ApiError::Internal(format!("export: {e}")))
        })
        .await?;
    let mut res = (StatusCode::OK, file.bytes).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.file_name)) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
