//! Robustness of the server's parsers of untrusted input (issue 3's fuzzing, run as property
//! tests so that the ordinary test command runs them, time-boxed by the case count): CQL2-text
//! and CQL2-JSON filters on items and tiles (GeoServer's CVE-2024-36401 came through filter
//! evaluation), GeoJSON features posted to the REST API and to OGC API Part 4, and query
//! parameters. Whatever is sent, the answer is a success or a 4xx problem naming what was
//! wrong — never a 500, never a panic. `LANDCYCLE_FUZZ_CASES` sets the cases per target
//! (default 128); longer runs are recorded in SECURITY.md.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use landcycle_demo::fixtures::{enterprise, parcel_draft, rect, replace_node, weidu};
use landcycle_domain::access::{Role, Scope};
use landcycle_store::{SqliteStore, WriteMeta};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::sync::OnceLock;
use tower::ServiceExt;

fn cases() -> u32 {
    std::env::var("LANDCYCLE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(128)
}

struct Fx {
    router: Router,
    auth: String,
    rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

/// One store with a park, an enterprise and a parcel, shared by every case of a binary.
fn fx() -> &'static Fx {
    static FX: OnceLock<Fx> = OnceLock::new();
    FX.get_or_init(|| {
        // Kept for the whole run in a static, never dropped: under target/tmp, not /tmp.
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let state =
            landcycle_server::state_for(SqliteStore::open(dir.path().join("f.gpkg")).unwrap());
        let reg = state.registry();
        let m = WriteMeta::new("seed", "seed").effective(jiff::civil::date(2020, 1, 1));
        reg.put_park(weidu(None), &m).unwrap();
        reg.put_enterprise(enterprise("weidu"), &m).unwrap();
        reg.create_parcel(parcel_draft(rect(113.85, 34.03, 0.002, 0.002)), &m, None)
            .unwrap();
        let auth = common::token(&state, "city", Role::City, Scope::All);
        Fx {
            router: landcycle_server::router(state),
            auth,
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            _dir: dir,
        }
    })
}

/// Percent-encodes every byte but the unreserved ones.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Sends a request; the status, and the body when it is not a success.
fn call(method: &str, uri: &str, body: Option<Vec<u8>>) -> (StatusCode, String) {
    let f = fx();
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, &f.auth);
    if body.is_some() {
        b = b.header(header::CONTENT_TYPE, "application/geo+json");
    }
    let req = b.body(Body::from(body.unwrap_or_default())).unwrap();
    f.rt.block_on(async {
        let resp = f.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let text = if status.is_success() {
            String::new()
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        (status, text)
    })
}

/// A success, or a 4xx problem with a detail; never a 5xx.
fn answered(what: &str, status: StatusCode, body: &str) -> Result<(), TestCaseError> {
    prop_assert!(!status.is_server_error(), "{what} → {status} {body}");
    if status.is_client_error() {
        let v: Value = serde_json::from_str(body).map_err(|e| {
            TestCaseError::fail(format!("{what} → {status}: not JSON ({e}): {body}"))
        })?;
        prop_assert!(
            v["detail"].is_string() || v["title"].is_string(),
            "{what} → {body}"
        );
    }
    Ok(())
}

/// Pieces of CQL2-text, valid and not, to be strung together.
fn cql_token() -> impl Strategy<Value = String> {
    let fixed: Vec<&'static str> = vec![
        "code",
        "name",
        "status",
        "park_id",
        "area_mu",
        "valid_from",
        "enterprise",
        "geometry",
        "land_use_code",
        "\"status\"",
        "=",
        "<>",
        "<",
        ">=",
        "AND",
        "OR",
        "NOT",
        "(",
        ")",
        ",",
        "'granted'",
        "'weidu'",
        "'%魏%'",
        "LIKE",
        "IN",
        "BETWEEN",
        "IS",
        "NULL",
        "TRUE",
        "1",
        "-1e309",
        "1e999",
        "0x10",
        "DATE('2021-06-30')",
        "TIMESTAMP('2021-06-30T00:00:00Z')",
        "DATE('2021-02-30')",
        "INTERVAL('..','2021-01-01')",
        "T_AFTER",
        "T_INTERSECTS(",
        "S_INTERSECTS(",
        "S_WITHIN(",
        "POINT(113.85 34.03)",
        "POLYGON((113.8 34,113.9 34,113.9 34.1,113.8 34.1,113.8 34))",
        "POLYGON((0 0,1 1))",
        "BBOX(113.8,34,113.9,34.1)",
        "CASEI(",
        "ACCENTI(",
        "A_CONTAINS(",
        "+",
        "*",
        "/",
        "'",
        "''",
        "\\",
        ";",
        "--",
        "DROP TABLE parcels",
        "1=1",
        "pg_sleep(10)",
        "load_extension('x')",
        "exec('id')",
        "java.lang.Runtime",
    ];
    prop_oneof![
        8 => prop::sample::select(fixed).prop_map(str::to_owned),
        1 => ".{0,12}",
        1 => "[0-9]{1,30}",
    ]
}

fn cql_text() -> impl Strategy<Value = String> {
    prop::collection::vec(cql_token(), 1..14).prop_map(|t| t.join(" "))
}

/// JSON that looks more or less like CQL2-JSON.
fn cql_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(json!({"property": "status"})),
        Just(json!({"property": "area_mu"})),
        Just(json!({"property": "geometry"})),
        Just(json!({"property": "nope"})),
        Just(json!({"date": "2021-06-30"})),
        Just(json!({"timestamp": "not a time"})),
        Just(json!({"bbox": [113.8, 34.0, 113.9]})),
        Just(json!({"type": "Point", "coordinates": [113.85, 34.03]})),
        Just(json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]})),
        Just(json!("granted")),
        Just(json!(1e300)),
        Just(json!(null)),
        any::<i64>().prop_map(Value::from),
        ".{0,10}".prop_map(Value::from),
    ];
    let ops = prop::sample::select(vec![
        "=",
        "<",
        ">",
        "<>",
        "and",
        "or",
        "not",
        "like",
        "in",
        "between",
        "isNull",
        "s_intersects",
        "s_within",
        "t_after",
        "t_intersects",
        "casei",
        "a_equals",
        "+",
        "nope",
    ]);
    leaf.prop_recursive(5, 48, 4, move |inner| {
        (ops.clone(), prop::collection::vec(inner, 0..4))
            .prop_map(|(op, args)| json!({"op": op, "args": args}))
    })
}

/// Values that a feature's members must not be trusted to hold.
fn odd() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::num::f64::ANY
            .prop_filter("JSON has no NaN", |f| f.is_finite())
            .prop_map(Value::from),
        Just(json!(1e308)),
        ".{0,30}".prop_map(Value::from),
        Just(json!("411002001001GB00001")),
        Just(json!("91440300192203821X")),
        Just(json!([[
            [113.85, 34.03],
            [113.86, 34.04],
            [113.85, 34.04],
            [113.86, 34.03],
            [113.85, 34.03]
        ]])),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A valid parcel feature for the REST API, to be damaged.
fn feature() -> Value {
    json!({
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[[113.87, 34.03], [113.871, 34.03],
            [113.871, 34.031], [113.87, 34.031], [113.87, 34.03]]]},
        "properties": {"name": "测试地块", "jurisdiction": "411002", "park_id": "weidu",
            "land_use_code": "100101", "status": "reserved"},
        "change": {"reason": "测试"}
    })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn cql2_text_filters_are_answered_never_crashed_on(f in cql_text()) {
        for base in [
            "/ogc/collections/parcels/items?limit=5",
            "/ogc/collections/available-land/items?limit=5",
            "/ogc/collections/parcels/tiles/WebMercatorQuad/14/6543/13373",
        ] {
            let uri = format!("{base}{}filter-lang=cql2-text&filter={}",
                if base.contains('?') { "&" } else { "?" }, enc(&f));
            let (s, b) = call("GET", &uri, None);
            answered(&format!("{base} filter {f}"), s, &b)?;
        }
    }

    #[test]
    fn cql2_json_filters_are_answered_never_crashed_on(v in cql_json()) {
        let uri = format!(
            "/ogc/collections/parcels/items?limit=5&filter-lang=cql2-json&filter={}",
            enc(&v.to_string())
        );
        let (s, b) = call("GET", &uri, None);
        answered(&format!("filter {v}"), s, &b)?;
    }

    #[test]
    fn damaged_geojson_features_are_refused_with_a_reason(
        edits in prop::collection::vec((any::<u64>(), odd()), 1..4),
    ) {
        let mut doc = feature();
        for (pick, v) in edits {
            replace_node(&mut doc, pick, v);
        }
        let body = serde_json::to_vec(&doc).unwrap();
        for uri in ["/api/parcels", "/ogc/collections/parcels/items"] {
            let (s, b) = call("POST", uri, Some(body.clone()));
            answered(&format!("POST {uri} {doc}"), s, &b)?;
        }
    }

    #[test]
    fn raw_bytes_posted_as_geojson_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let (s, b) = call("POST", "/api/parcels", Some(bytes));
        answered("raw bytes", s, &b)?;
        prop_assert!(s.is_client_error());
    }

    #[test]
    fn odd_query_parameters_are_answered(
        key in prop::sample::select(vec!["bbox", "datetime", "limit", "offset", "crs", "bbox-crs",
            "status", "park", "as_of", "f", "filter-crs", "sortby", "properties"]),
        value in ".{0,40}",
    ) {
        for base in ["/ogc/collections/parcels/items", "/api/parcels", "/api/findings"] {
            let uri = format!("{base}?{key}={}", enc(&value));
            let (s, b) = call("GET", &uri, None);
            answered(&uri, s, &b)?;
        }
    }
}

#[test]
fn the_seed_feature_is_accepted() {
    let (s, b) = call(
        "POST",
        "/api/parcels",
        Some(feature().to_string().into_bytes()),
    );
    assert_eq!(s, StatusCode::CREATED, "{b}");
}
