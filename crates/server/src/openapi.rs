//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use crate::dto::{
    ChangeIn, Link, ParcelCollection, ParcelFeature, ParcelIn, ParcelProps, ParcelPropsIn, ParkOut,
};
use crate::error::Problem;
use crate::routes;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "landcycle API",
        description = "工业用地全生命周期管理平台 — REST API of the parcel registry (一宗一卡、一地一档). Geometries are GeoJSON in CGCS2000 (EPSG:4490) with lon/lat order; areas are exact decimal strings in m² with 亩 derived; errors are RFC 9457 problem+json naming the field.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        routes::parks::list, routes::parks::one,
        routes::parcels::list, routes::parcels::one, routes::parcels::create, routes::parcels::replace,
        routes::parcels::history, routes::parcels::lineage,
        routes::parcel_ops::split, routes::parcel_ops::merge, routes::parcel_ops::end,
        routes::enterprises::list, routes::enterprises::one, routes::enterprises::create,
        routes::enterprises::add_supply, routes::enterprises::parcel_supplies,
        routes::attachments::list, routes::attachments::upload, routes::attachments::download,
        routes::meta::health, routes::meta::recent_history,
    ),
    components(schemas(Problem, ParcelFeature, ParcelProps, ParcelCollection, ParcelIn, ParcelPropsIn, ChangeIn, Link, ParkOut,
        routes::SplitIn, routes::MergeIn, routes::ParentRef, routes::EndIn, routes::TimelineOut, routes::EventOut,
        routes::SupplyOut, routes::SupplyIn, routes::EnterpriseIn, routes::EnterpriseDetail, routes::FiguresOut, routes::Health)),
    tags(
        (name = "parks", description = "产业集聚区 and their targets"),
        (name = "parcels", description = "宗地: the registry with full history"),
        (name = "enterprises", description = "企业 keyed by 统一社会信用代码"),
        (name = "supplies", description = "供地记录"),
        (name = "attachments", description = "附件, content-addressed"),
        (name = "meta", description = "Health and history"),
    )
)]
struct ApiDoc;

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    unique_operation_ids(&mut doc);
    doc
}

/// utoipa names an operation after its handler function, and handlers of different resources
/// share names (`list`, `one`); OpenAPI requires unique ids, so each is derived from its method
/// and path instead (`get_api_parcels_id_history`).
fn unique_operation_ids(doc: &mut utoipa::openapi::OpenApi) {
    for (path, item) in &mut doc.paths.paths {
        let slug: String = path
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        let ops = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
            ("head", &mut item.head),
            ("options", &mut item.options),
        ];
        for (method, op) in ops {
            if let Some(op) = op {
                op.operation_id = Some(format!("{method}_{slug}"));
            }
        }
    }
}
