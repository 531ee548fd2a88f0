//! Request extractors whose failures are problem+json naming the field.

use crate::error::ApiError;
use axum::body::to_bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use landcycle_domain::FieldError;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// Largest JSON body accepted (a parcel with a detailed boundary, or a split into many parts).
pub const MAX_JSON_BYTES: usize = 8 << 20;

/// A JSON body; a syntax or type error names the JSON path and position.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let ct = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !(ct.starts_with("application/json")
            || ct.starts_with("application/geo+json")
            || ct.is_empty())
        {
            return Err(ApiError::bad_field(
                "Content-Type",
                Some(ct),
                "send application/json or application/geo+json",
                "请以 application/json 或 application/geo+json 发送",
            ));
        }
        let bytes = to_bytes(req.into_body(), MAX_JSON_BYTES)
            .await
            .map_err(|_| {
                ApiError::TooLarge(format!(
                    "the body is larger than {} MiB",
                    MAX_JSON_BYTES >> 20
                ))
            })?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Parses JSON, naming the path and position of the first problem.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = if path == "." { "body".to_owned() } else { path };
        let f = FieldError::new(
            field,
            None,
            inner.to_string(),
            format!("JSON 解析失败：第{}行第{}列", inner.line(), inner.column()),
        );
        ApiError::BadRequest(f.to_string(), vec![f])
    })
}

/// Raw query parameters; handlers parse each one and name it on error. Unknown parameters are
/// refused so that a typo never silently widens a query.
#[derive(Debug, Default)]
pub struct Params(pub BTreeMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded_pairs(q)?;
        let mut map = BTreeMap::new();
        for (k, v) in pairs {
            if map.insert(k.clone(), v).is_some() {
                return Err(ApiError::bad_field(
                    &k,
                    None,
                    "given more than once",
                    "参数重复",
                ));
            }
        }
        Ok(Self(map))
    }
}

fn serde_urlencoded_pairs(q: &str) -> Result<Vec<(String, String)>, ApiError> {
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&format!("/?{q}").parse().map_err(
        |_| {
            ApiError::bad_field(
                "query",
                Some(q),
                "malformed query string",
                "查询字符串格式错误",
            )
        },
    )?)
    .map(|axum::extract::Query(v)| v)
    .map_err(|e| ApiError::bad_field("query", Some(q), e.to_string(), "查询字符串格式错误"))
}

impl Params {
    /// Refuses parameters not in `allowed`.
    pub fn only(&self, allowed: &[&str]) -> Result<(), ApiError> {
        if let Some(k) = self.0.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(ApiError::bad_field(
                k,
                None,
                format!("unknown parameter; allowed: {}", allowed.join(", ")),
                format!("未知参数；可用参数：{}", allowed.join(", ")),
            ));
        }
        Ok(())
    }

    /// The raw value.
    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// Parses a value with `f`, naming the parameter on failure.
    pub fn parse<T>(
        &self,
        k: &str,
        what_en: &str,
        what_zh: &str,
        f: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, ApiError> {
        // A typed parameter given empty (`?as_of=`) is refused, not taken as absent.
        match self.0.get(k).map(String::as_str) {
            None => Ok(None),
            Some(v) => f(v).map(Some).ok_or_else(|| {
                ApiError::bad_field(
                    k,
                    Some(v),
                    format!("expected {what_en}"),
                    format!("应为{what_zh}"),
                )
            }),
        }
    }

    /// A date `YYYY-MM-DD`.
    pub fn date(&self, k: &str) -> Result<Option<jiff::civil::Date>, ApiError> {
        self.parse(k, "a date YYYY-MM-DD", "日期（YYYY-MM-DD）", |v| {
            v.parse().ok()
        })
    }

    /// An unsigned integer within `[min, max]`.
    pub fn int(&self, k: &str, min: u64, max: u64) -> Result<Option<u64>, ApiError> {
        self.parse(
            k,
            &format!("an integer {min}–{max}"),
            &format!("{min}—{max}之间的整数"),
            |v| v.parse::<u64>().ok().filter(|n| (min..=max).contains(n)),
        )
    }
}
