//! `POST /api/imports`: bulk imports over HTTP (批量导入), the same pipeline as `landcycle
//! import` ([`landcycle_io::pipeline`]). The parts are streamed to a temporary directory (removed
//! when the request ends; one a killed server left is removed by the next, `upload_dirs`), judged by content and expanded under limits ([`landcycle_io::upload`]), read and
//! checked, checked against the caller's jurisdiction row by row, then written all or nothing.

use crate::AppState;
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use landcycle_domain::access::{Action, Decision, Scope, Target, decide};
use landcycle_io::upload::{UploadError, UploadLimits, stage};
use landcycle_io::{
    ImportKind, ImportOptions, ImportSummary, ReadOptions, commit, prepare_authorized,
};
use landcycle_store::{AuditEntry, WriteMeta};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// One uploaded part, as audited.
#[derive(Debug, Clone, serde::Serialize)]
struct PartLog {
    name: String,
    bytes: u64,
    sha256: String,
}

/// The form's text fields.
#[derive(Debug, Default)]
struct Form {
    kind: Option<String>,
    crs: Option<String>,
    encoding: Option<String>,
    layer: Option<String>,
    dry_run: Option<String>,
    reason: Option<String>,
    towgs84: Option<String>,
}

/// Sets a flag when the request is dropped (client gone, timeout), so that the blocking work
/// does not write what nobody will be told about.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn bad(field: &str, value: Option<&str>, en: impl Into<String>, zh: impl Into<String>) -> ApiError {
    ApiError::bad_field(field, value, en, zh)
}

fn too_large(limit: u64) -> ApiError {
    ApiError::TooLarge(format!(
        "the upload is larger than {} MiB / 上传内容超过{} MiB",
        limit >> 20,
        limit >> 20
    ))
}

fn multipart_error(e: &MultipartError, limit: u64) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(limit)
    } else {
        bad(
            "body",
            None,
            format!("malformed multipart body: {e}"),
            "multipart 表单格式错误",
        )
    }
}

/// Streams one file part to `path`, counting against the body limit.
async fn save(
    field: &mut Field<'_>,
    path: &std::path::Path,
    received: &mut u64,
    limit: u64,
) -> ApiResult<(u64, String)> {
    let mut out = std::fs::File::create(path)
        .map_err(|e| ApiError::Internal(format!("creating {}: {e}", path.display())))?;
    let mut sha = Sha256::new();
    let mut n = 0u64;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| multipart_error(&e, limit))?
    {
        n += chunk.len() as u64;
        *received += chunk.len() as u64;
        if *received > limit {
            return Err(too_large(limit));
        }
        sha.update(&chunk);
        out.write_all(&chunk)
            .map_err(|e| ApiError::Internal(format!("writing {}: {e}", path.display())))?;
    }
    Ok((n, hex::encode(sha.finalize())))
}

fn parse_form(form: &Form) -> ApiResult<(ImportKind, ImportOptions, bool, String)> {
    let kind_text = form.kind.as_deref().unwrap_or("parcels");
    let kind = ImportKind::parse(kind_text).ok_or_else(|| {
        bad(
            "kind",
            Some(kind_text),
            "kind is `parcels` or `figures`",
            "kind 应为 parcels 或 figures",
        )
    })?;
    let crs = match form.crs.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(landcycle_geo::Crs::parse(c).map_err(|e| {
            bad(
                "crs",
                Some(c),
                e.to_string(),
                format!("无法识别的坐标系：{e}"),
            )
        })?),
        None => None,
    };
    let dry_run = match form.dry_run.as_deref().map(str::trim).unwrap_or("false") {
        "true" | "1" => true,
        "false" | "0" | "" => false,
        other => {
            return Err(bad(
                "dry_run",
                Some(other),
                "dry_run is `true` or `false`",
                "dry_run 应为 true 或 false",
            ));
        }
    };
    let nonempty = |s: &Option<String>| s.clone().filter(|v| !v.trim().is_empty());
    let opts = ImportOptions {
        read: ReadOptions {
            crs,
            encoding: nonempty(&form.encoding),
            towgs84: nonempty(&form.towgs84),
            layer: nonempty(&form.layer),
        },
        ..ImportOptions::default()
    };
    let reason = nonempty(&form.reason).unwrap_or_else(|| "批量导入 / bulk import".to_owned());
    Ok((kind, opts, dry_run, reason))
}

/// The coarse check for what the files hold: parcels need the right to change the registry,
/// figures the right to upload the principal's department data.
fn may_import(guard: &Guard, kind: ImportKind) -> ApiResult<()> {
    let p = guard.principal();
    let (action, target) = match kind {
        ImportKind::Parcels => (Action::WriteRegistry, Target::anywhere()),
        ImportKind::Figures => (
            Action::UploadDepartmentData,
            Target {
                department: match &p.scope {
                    Scope::Department(d) => Some(d.clone()),
                    _ => None,
                },
                ..Target::anywhere()
            },
        ),
    };
    match decide(p, action, &target) {
        Decision::Allow => Ok(()),
        Decision::Deny(d) => Err(ApiError::Forbidden(format!(
            "{} / {}",
            d.reason_en, d.reason_zh
        ))),
    }
}

/// Import parcels (Shapefile parts or a .zip of them, GeoPackage, GeoJSON, FlatGeobuf, Excel,
/// CSV) or department figures (Excel, CSV): multipart/form-data with one or more `file` parts
/// and the text fields `kind` (`parcels` | `figures`), `crs` (EPSG:n), `encoding`, `layer`,
/// `dry_run` (`true` | `false`) and `reason`. Every row is checked first; when any problem
/// remains nothing is written and the report comes back with 422.
#[utoipa::path(post, path = "/api/imports", tag = "imports",
    request_body(content_type = "multipart/form-data",
        description = "file (repeatable), kind, crs, encoding, layer, dry_run, reason, towgs84 (7 parameters for Xian 1980 / Beijing 1954 Shapefiles)"),
    responses(
        (status = 200, body = ImportSummary, description = "Written, or a clean dry run"),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "No file, unknown or mislabelled content, unsafe archive entry, bad field"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "The role may not import this kind, or a row lies outside the caller's jurisdiction"),
        (status = 413, body = Problem, content_type = "application/problem+json", description = "Past the upload or archive limits"),
        (status = 422, body = ImportSummary, description = "Problems found; nothing written"),
    ))]
pub async fn create(
    State(st): State<AppState>,
    guard: Guard,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let limits = st.upload_limits();
    let mut parts_log = Vec::new();
    let result = run(&guard, &headers, form, limits, &mut parts_log).await;
    let summary_detail = match &result {
        Ok((_, sum)) => serde_json::json!({"dry_run": sum.dry_run, "written": sum.written,
            "rows": sum.rows, "created": sum.created, "updated": sum.updated,
            "import_id": sum.import_id, "problems": sum.problems.len(),
            "sources": sum.sources.iter()
                .map(|s| serde_json::json!({"file": s.file, "sha256": s.sha256}))
                .collect::<Vec<_>>()}),
        Err(e) => serde_json::json!({"error": e.to_string()}),
    };
    let written = matches!(&result, Ok((_, s)) if s.written);
    let resp = match result {
        Ok((status, summary)) => (status, Json(summary)).into_response(),
        Err(e) => e.into_response(),
    };
    let status = resp.status();
    let outcome = match status.as_u16() {
        200 => "ok",
        401 | 403 => "denied",
        _ => "failed",
    };
    let entry = AuditEntry {
        at: jiff::Timestamp::now(),
        actor: guard.principal().user.clone(),
        action: "import".to_owned(),
        target: Some("POST /api/imports".to_owned()),
        outcome: outcome.to_owned(),
        detail: serde_json::json!({"files": parts_log, "status": status.as_u16(),
            "written": written, "result": summary_detail}),
    };
    crate::auth::layer::record(&st, entry).await;
    resp
}

async fn run(
    guard: &Guard,
    headers: &HeaderMap,
    form: Result<Multipart, MultipartRejection>,
    limits: UploadLimits,
    parts_log: &mut Vec<PartLog>,
) -> ApiResult<(StatusCode, ImportSummary)> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body) {
        return Err(too_large(limits.max_body));
    }
    let mut form = form.map_err(|e| {
        bad(
            "Content-Type",
            None,
            format!("send multipart/form-data: {e}"),
            "请以 multipart/form-data 发送",
        )
    })?;
    let dir = crate::upload_dirs::new_upload_dir()
        .map_err(|e| ApiError::Internal(format!("temporary directory: {e}")))?;
    let mut parts: Vec<(String, PathBuf)> = Vec::new();
    let mut text = Form::default();
    let mut received = 0u64;
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|e| multipart_error(&e, limits.max_body))?
    {
        let name = field.name().unwrap_or("").to_owned();
        let slot = match name.as_str() {
            "file" => {
                let given = field.file_name().unwrap_or("").to_owned();
                let path = dir.path().join(format!(".part-{}", parts.len()));
                let (bytes, sha256) =
                    save(&mut field, &path, &mut received, limits.max_body).await?;
                parts_log.push(PartLog {
                    name: given.clone(),
                    bytes,
                    sha256,
                });
                parts.push((given, path));
                continue;
            }
            "kind" => &mut text.kind,
            "crs" => &mut text.crs,
            "encoding" => &mut text.encoding,
            "layer" => &mut text.layer,
            "dry_run" => &mut text.dry_run,
            "reason" => &mut text.reason,
            "towgs84" => &mut text.towgs84,
            other => {
                return Err(bad(
                    other,
                    None,
                    "unknown form field (file, kind, crs, encoding, layer, dry_run, reason, towgs84)",
                    "未知的表单字段",
                ));
            }
        };
        let value = field
            .text()
            .await
            .map_err(|e| multipart_error(&e, limits.max_body))?;
        received += value.len() as u64;
        if received > limits.max_body {
            return Err(too_large(limits.max_body));
        }
        *slot = Some(value);
    }
    let (kind, opts, dry_run, reason) = parse_form(&text)?;
    may_import(guard, kind)?;
    let cancelled = Arc::new(AtomicBool::new(false));
    let _cancel = CancelOnDrop(Arc::clone(&cancelled));
    let meta = WriteMeta::new(guard.principal().user.clone(), reason);
    guard
        .run(move |c| {
            // The directory lives (and is removed) with this closure.
            let dir = dir;
            let files = stage(dir.path(), &parts, limits).map_err(|e| match e {
                UploadError::TooLarge { en, zh } => ApiError::TooLarge(format!("{en} / {zh}")),
                UploadError::Malformed { file, en, zh } => bad("file", Some(&file), en, zh),
                other => bad("file", None, other.to_string(), "上传内容有误"),
            })?;
            let reg = c.registry();
            // Every row the user may not write is refused before any is checked.
            let mut denied = None;
            let prepared = prepare_authorized(
                reg,
                &files,
                kind,
                &opts,
                &meta,
                &mut |_, _, _| {},
                &mut |source, r| match c.draft(Action::WriteRegistry, &r.draft) {
                    Ok(()) => true,
                    Err(e) => {
                        denied = Some(match e {
                            ApiError::Forbidden(d) => {
                                ApiError::Forbidden(format!("{} row {}: {d}", source.file, r.row))
                            }
                            other => other,
                        });
                        false
                    }
                },
            )?;
            if let Some(e) = denied {
                return Err(e);
            }
            if cancelled.load(Ordering::SeqCst) {
                return Err(ApiError::Internal("the request was cancelled".into()));
            }
            let summary = commit(reg, prepared, &meta, dry_run)?;
            let status = if summary.problems.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok((status, summary))
        })
        .await
}
