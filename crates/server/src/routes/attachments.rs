//! Attachments of a parcel (contract scans, photos, approvals), stored content-addressed.

use super::parcel_id;
use crate::AppState;
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use landcycle_store::{AttachmentMeta, WriteMeta};

/// Attachments of a parcel, oldest first.
#[utoipa::path(get, path = "/api/parcels/{id}/attachments", tag = "attachments", params(("id" = uuid::Uuid, Path, description = "Parcel id")),
    responses((status = 200, body = [AttachmentMeta])))]
pub async fn list(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AttachmentMeta>>> {
    let id = parcel_id(&id)?;
    st.run(move |r| Ok(Json(r.store().attachments(id)?))).await
}

/// Upload a file to a parcel (multipart/form-data with `file`, `reason` and optional
/// `reference`). The media type is judged from the content; the same content is stored once.
#[utoipa::path(post, path = "/api/parcels/{id}/attachments", tag = "attachments", params(("id" = uuid::Uuid, Path, description = "Parcel id")),
    request_body(content_type = "multipart/form-data", description = "file, reason, reference"),
    responses((status = 201, body = AttachmentMeta), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn upload(
    State(st): State<AppState>,
    Path(id): Path<String>,
    guard: Guard,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<(StatusCode, Json<AttachmentMeta>)> {
    let id = parcel_id(&id)?;
    let mut form = form.map_err(|e| {
        ApiError::bad_field(
            "Content-Type",
            None,
            format!("send multipart/form-data: {e}"),
            "请以 multipart/form-data 发送",
        )
    })?;
    let (mut file, mut reason, mut reference) = (None, None, None);
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_field(
            "body",
            None,
            format!("malformed multipart body: {e}"),
            "multipart 表单格式错误",
        )
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "file" => {
                let name = field.file_name().unwrap_or("attachment").to_owned();
                file = Some((name, field.bytes().await.map_err(bad)?));
            }
            "reason" => reason = Some(field.text().await.map_err(bad)?),
            "reference" => reference = Some(field.text().await.map_err(bad)?),
            other => {
                return Err(ApiError::bad_field(
                    other,
                    None,
                    "unknown form field (file, reason, reference)",
                    "未知的表单字段",
                ));
            }
        }
    }
    let (name, bytes) = file.ok_or_else(|| {
        ApiError::Invalid(vec![landcycle_domain::FieldError::new(
            "file",
            None,
            "no file was sent",
            "未上传文件",
        )])
    })?;
    let mut meta = WriteMeta::new(guard.principal().user.clone(), reason.unwrap_or_default());
    meta.reason.reference = reference.filter(|r| !r.is_empty());
    let a = st
        .run(move |r| Ok(r.attach(id, &name, &bytes, &meta)?))
        .await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// Download attachment content by its sha256. Always served as a download, with the media
/// type judged from the bytes, so stored content can never run as a page.
#[utoipa::path(get, path = "/api/attachments/{sha256}", tag = "attachments", params(("sha256" = String, Path, description = "Content hash", pattern = "^[0-9a-fA-F]{64}$")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn download(State(st): State<AppState>, Path(sha): Path<String>) -> ApiResult<Response> {
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::bad_field(
            "sha256",
            Some(&sha),
            "expected 64 hexadecimal characters",
            "应为64位十六进制字符",
        ));
    }
    let sha = sha.to_ascii_lowercase();
    let key = sha.clone();
    let bytes = st
        .run(move |r| {
            r.store()
                .blob(&key)?
                .ok_or_else(|| ApiError::NotFound(format!("attachment {key} not found")))
        })
        .await?;
    let ct = landcycle_store::sniff_content_type(&bytes);
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{sha}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
