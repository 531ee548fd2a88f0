//! `GET /api/parcels/{id}/card.pdf`: the parcel card (一宗一卡) as an A4 PDF.

use super::parcel_id;
use crate::AppState;
use crate::auth::Guard;
use crate::error::{ApiError, ApiResult, Problem};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use geo::BoundingRect;
use landcycle_card::{CardData, CardError};
use landcycle_store::ParcelQuery;

/// How far around the parcel neighbours are looked for, degrees (~300 m).
const NEIGHBOUR_MARGIN_DEG: f64 = 0.003;

/// The parcel card: map with neighbours, codes, areas (m² and 亩), use, land user, supply and
/// contract terms, planning indicators, status and history, in Chinese, with the CJK font
/// subset-embedded. 503 when the server has no CJK font (the detail names the package).
#[utoipa::path(get, path = "/api/parcels/{id}/card.pdf", tag = "parcels",
    params(("id" = uuid::Uuid, Path, description = "Parcel id")),
    responses((status = 200, description = "The card (A4 PDF)", content_type = "application/pdf", body = Vec<u8>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "No CJK font installed on the server", body = Problem, content_type = "application/problem+json")))]
pub async fn card(
    State(st): State<AppState>,
    guard: Guard,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id = parcel_id(&id)?;
    let font_path = landcycle_card::find_cjk_font(st.card_font()).map_err(card_error)?;
    let data = guard
        .run(move |c| {
            let p = c
                .store()
                .parcel(id, None)?
                .ok_or_else(|| ApiError::NotFound(format!("parcel {id} not found (or ended)")))?;
            let enterprise = match &p.enterprise {
                Some(u) => c.store().enterprise(u)?,
                None => None,
            };
            let t = c.registry().timeline(id)?;
            // Neighbours within the caller's scope only: the card shows their codes.
            let mut neighbours = Vec::new();
            if let Some(r) = p.geometry.bounding_rect() {
                let m = NEIGHBOUR_MARGIN_DEG;
                let mut q = ParcelQuery {
                    bbox: Some([r.min().x - m, r.min().y - m, r.max().x + m, r.max().y + m]),
                    limit: 500,
                    skip_total: true,
                    ..ParcelQuery::default()
                };
                c.scope_parcels(&mut q)?;
                for n in c.store().parcels(&q)?.items {
                    if n.id != p.id {
                        let label = n
                            .code
                            .as_ref()
                            .map_or_else(|| n.name.clone(), ToString::to_string);
                        neighbours.push((label, n.geometry));
                    }
                }
            }
            Ok(CardData {
                parcel: p,
                enterprise,
                supplies: t.supplies,
                events: t.events,
                neighbours,
                printed: jiff::Zoned::now().date(),
            })
        })
        .await?;
    let pdf = tokio::task::spawn_blocking(move || {
        let font = landcycle_card::load_font(&font_path)?;
        landcycle_card::render(&data, &font, &font_path.display().to_string())
    })
    .await
    .map_err(|e| ApiError::Internal(format!("card worker failed: {e}")))?
    .map_err(card_error)?;
    let mut res = (StatusCode::OK, pdf).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"parcel-card.pdf\""),
    );
    Ok(res)
}

fn card_error(e: CardError) -> ApiError {
    match e {
        CardError::NoFont(d) => ApiError::Unavailable(d),
        other => ApiError::Internal(other.to_string()),
    }
}
