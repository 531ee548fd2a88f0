//! The OpenAPI 3.0 definition of the OGC API (`/ogc/api`), built from the same collection,
//! queryable and tile-matrix-set lists the handlers use, so it cannot drift from them.

use super::Coll;
use serde_json::{Map, Value, json};

fn param(name: &str, desc: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": desc, "schema": schema, "style": "form", "explode": false })
}

fn path_param(name: &str, desc: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": desc, "schema": { "type": "string" } })
}

fn ok(media: &str, desc: &str) -> Value {
    json!({ "200": { "description": desc, "content": { media: { "schema": { "type": "object" } } } },
            "400": { "description": "bad request (problem+json)" },
            "404": { "description": "not found" } })
}

fn get(summary: &str, op: String, params: Vec<Value>, responses: Value) -> Value {
    json!({ "get": { "summary": summary, "operationId": op, "parameters": params, "responses": responses } })
}

/// The document.
pub fn document(origin: &str) -> Value {
    let f = param(
        "f",
        "format: json or html",
        json!({ "type": "string", "enum": ["json", "html"] }),
    );
    let mut paths = Map::new();
    paths.insert(
        "/".into(),
        get(
            "Landing page",
            "getLandingPage".into(),
            vec![f.clone()],
            ok("application/json", "landing page"),
        ),
    );
    paths.insert(
        "/conformance".into(),
        get(
            "Conformance classes",
            "getConformance".into(),
            vec![f.clone()],
            ok("application/json", "conformance"),
        ),
    );
    paths.insert(
        "/collections".into(),
        get(
            "Collections",
            "getCollections".into(),
            vec![f.clone()],
            ok("application/json", "collections"),
        ),
    );
    paths.insert(
        "/tileMatrixSets".into(),
        get(
            "Tile matrix sets",
            "getTileMatrixSets".into(),
            vec![],
            ok("application/json", "tile matrix sets"),
        ),
    );
    paths.insert(
        "/tileMatrixSets/{tileMatrixSetId}".into(),
        get(
            "A tile matrix set",
            "getTileMatrixSet".into(),
            vec![path_param(
                "tileMatrixSetId",
                "WebMercatorQuad or WorldCRS84Quad",
            )],
            ok("application/json", "definition"),
        ),
    );
    for c in Coll::ALL {
        let id = c.id();
        let op = id.replace('-', "_");
        let base = format!("/collections/{id}");
        paths.insert(
            base.clone(),
            get(
                c.title(),
                format!("describe_{op}"),
                vec![f.clone()],
                ok("application/json", "collection"),
            ),
        );
        paths.insert(
            format!("{base}/queryables"),
            get(
                "Queryables",
                format!("queryables_{op}"),
                vec![f.clone()],
                ok("application/schema+json", "queryables"),
            ),
        );
        let mut items = vec![
            f.clone(),
            param(
                "limit",
                "page size",
                json!({ "type": "integer", "minimum": 1, "maximum": 10000, "default": 100 }),
            ),
            param(
                "offset",
                "features to skip",
                json!({ "type": "integer", "minimum": 0 }),
            ),
            param(
                "bbox",
                "lower corner, upper corner (CRS84 lon,lat unless bbox-crs)",
                json!({ "type": "array", "minItems": 4, "maxItems": 6, "items": { "type": "number" } }),
            ),
            param(
                "bbox-crs",
                "CRS of bbox",
                json!({ "type": "string", "format": "uri" }),
            ),
            param(
                "crs",
                "output CRS",
                json!({ "type": "string", "format": "uri" }),
            ),
        ];
        if c.is_temporal() {
            items.push(param(
                "datetime",
                "a day (the parcels as they were) or an interval a/b",
                json!({ "type": "string" }),
            ));
        }
        if !c.queryables().is_empty() {
            items.push(param("filter", "CQL2 filter", json!({ "type": "string" })));
            items.push(param(
                "filter-lang",
                "cql2-text or cql2-json",
                json!({ "type": "string", "enum": ["cql2-text", "cql2-json"] }),
            ));
            items.push(param(
                "filter-crs",
                "CRS of geometry literals",
                json!({ "type": "string", "format": "uri" }),
            ));
            for q in c.queryables() {
                items.push(param(q.name(), q.title_zh(), json!({ "type": "string" })));
            }
        }
        let mut items_path = get(
            &format!("Features of {id}"),
            format!("items_{op}"),
            items,
            ok("application/geo+json", "features"),
        );
        let mut item_path = get(
            &format!("A feature of {id}"),
            format!("item_{op}"),
            vec![
                path_param("featureId", "feature id"),
                f.clone(),
                param("crs", "output CRS", json!({ "type": "string" })),
            ],
            ok("application/geo+json", "feature"),
        );
        if c == Coll::Parcels {
            let body = json!({ "required": true, "content": { "application/geo+json": { "schema": { "type": "object" } } } });
            let write = |op: &str, code: &str| {
                json!({ "operationId": op, "requestBody": body,
                "responses": { code: { "description": "done" }, "400": { "description": "bad request" }, "412": { "description": "stale If-Match" }, "422": { "description": "invalid" } } })
            };
            items_path["post"] = write("create_parcels", "201");
            item_path["put"] = write("replace_parcels", "200");
            item_path["patch"] = write("update_parcels", "200");
            item_path["parameters"] = json!([path_param("featureId", "feature id")]);
            item_path["delete"] = json!({ "operationId": "delete_parcels", "responses": { "204": { "description": "ended" }, "412": { "description": "stale If-Match" } } });
        }
        paths.insert(format!("{base}/items"), items_path);
        paths.insert(format!("{base}/items/{{featureId}}"), item_path);
        paths.insert(
            format!("{base}/tiles"),
            get(
                "Tilesets",
                format!("tilesets_{op}"),
                vec![],
                ok("application/json", "tilesets"),
            ),
        );
        paths.insert(
            format!("{base}/tiles/{{tileMatrixSetId}}"),
            get(
                "Tileset",
                format!("tileset_{op}"),
                vec![
                    path_param("tileMatrixSetId", "tile matrix set"),
                    param("f", "json or tilejson", json!({ "type": "string" })),
                ],
                ok("application/json", "tileset"),
            ),
        );
        let mut tile_params = vec![
            path_param("tileMatrixSetId", "tile matrix set"),
            path_param("tileMatrix", "zoom"),
            path_param("tileRow", "row (y)"),
            path_param("tileCol", "column (x)"),
        ];
        if !c.queryables().is_empty() {
            tile_params.push(param("filter", "CQL2 filter", json!({ "type": "string" })));
            tile_params.push(param(
                "filter-lang",
                "cql2-text or cql2-json",
                json!({ "type": "string" }),
            ));
        }
        paths.insert(
            format!("{base}/tiles/{{tileMatrixSetId}}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"),
            get("A vector tile (MVT)", format!("tile_{op}"), tile_params, json!({
                "200": { "description": "tile", "content": { "application/vnd.mapbox-vector-tile": { "schema": { "type": "string", "format": "binary" } } } },
                "204": { "description": "no features here" },
                "304": { "description": "not modified" },
                "404": { "description": "outside the matrix set" } })),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": { "title": "landcycle OGC API", "version": env!("CARGO_PKG_VERSION"),
                  "description": "OGC API – Features Parts 1–4 and OGC API – Tiles of landcycle" },
        "servers": [{ "url": format!("{origin}/ogc") }],
        "paths": paths,
    })
}
