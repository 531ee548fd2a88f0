//! The OGC API through the router: Part 1 paging and time travel, Part 2 axis order, Part 3
//! CQL2 (every operator, malformed input, injection: 400 or correct, never 500, store
//! unchanged), Part 4 with ETags, and tiles that change at once after an edit.
#![allow(missing_docs, clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use landcycle_demo::fixtures;
use landcycle_domain::ParcelLifecycle;
use landcycle_domain::access::{Role, Scope};
use landcycle_store::{SqliteStore, Token, TokenAccess, User, WriteMeta};
use serde_json::{Value, json};
use tower::ServiceExt;

struct App {
    router: Router,
    state: landcycle_server::AppState,
    auth: String,
    _dir: tempfile::TempDir,
}

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }
}

/// A park with 20 parcels on a 5 × 4 grid near Xuchang: statuses cycle through reserved,
/// listed, granted, operating; parcel i is 0.001° × (1 + i % 3) wide; every parcel was
/// renamed on 2021-06-01.
fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("ogc.gpkg")).unwrap();
    let state = landcycle_server::state_for(store);
    let reg = state.registry();
    let m = |d| WriteMeta::new("test", "seed").effective(d);
    reg.put_park(
        fixtures::weidu(Some(fixtures::rect(113.80, 34.00, 0.1, 0.1))),
        &m(jiff::civil::date(2015, 1, 1)),
    )
    .unwrap();
    reg.put_enterprise(
        fixtures::enterprise("weidu"),
        &m(jiff::civil::date(2015, 1, 1)),
    )
    .unwrap();
    let statuses = [
        ParcelLifecycle::Reserved,
        ParcelLifecycle::Listed,
        ParcelLifecycle::Granted,
        ParcelLifecycle::Operating,
    ];
    for i in 0..20u32 {
        let (c, r) = (f64::from(i % 5), f64::from(i / 5));
        let mut d = fixtures::parcel_draft(fixtures::rect(
            113.81 + c * 0.01,
            34.01 + r * 0.01,
            0.001 * f64::from(1 + i % 3),
            0.001,
        ));
        d.code = Some(format!("411002001001GB{:05}", i + 1));
        d.name = format!("地块{i}");
        d.status = statuses[i as usize % 4];
        let p = reg
            .create_parcel(d.clone(), &m(jiff::civil::date(2020, 1, 1)), None)
            .unwrap();
        d.name = format!("地块{i}（更名）");
        reg.update_parcel(p.id, Some(1), d, &m(jiff::civil::date(2021, 6, 1)))
            .unwrap();
    }
    let accounts = state.accounts();
    accounts
        .create_user(&User {
            name: "city".into(),
            password_hash: None,
            role: Role::City,
            scope: Scope::All,
            created_at: jiff::Timestamp::now(),
            disabled: false,
        })
        .unwrap();
    let secret = landcycle_server::auth::secret::new_token().unwrap();
    accounts
        .create_token(&Token {
            id: "tok-city".into(),
            user: "city".into(),
            token_hash: landcycle_server::auth::secret::sha256_hex(&secret),
            access: TokenAccess::Write,
            created_at: jiff::Timestamp::now(),
            expires_at: None,
            revoked_at: None,
        })
        .unwrap();
    App {
        router: landcycle_server::router(state.clone()),
        state,
        auth: format!("Bearer {secret}"),
        _dir: dir,
    }
}

impl App {
    async fn req(
        &self,
        method: &str,
        uri: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
        auth: bool,
    ) -> Resp {
        let mut r = Request::builder().method(method).uri(uri);
        if auth {
            r = r.header(header::AUTHORIZATION, &self.auth);
        }
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        let r = match body {
            Some(b) => r
                .header(header::CONTENT_TYPE, "application/geo+json")
                .body(Body::from(b.to_string()))
                .unwrap(),
            None => r.body(Body::empty()).unwrap(),
        };
        let resp = self.router.clone().oneshot(r).await.unwrap();
        let (parts, body) = resp.into_parts();
        Resp {
            status: parts.status,
            headers: parts.headers,
            bytes: body.collect().await.unwrap().to_bytes().to_vec(),
        }
    }

    async fn get(&self, uri: &str) -> Resp {
        self.req("GET", uri, None, &[], true).await
    }

    fn stats(&self) -> String {
        format!("{:?}", self.state.registry().store().stats().unwrap())
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn landing_conformance_collections_and_queryables() {
    let a = app();
    let l = a.req("GET", "/ogc", None, &[], false).await;
    assert_eq!(l.status, StatusCode::OK);
    assert!(
        l.json()["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["rel"] == "conformance")
    );
    let c = a.get("/ogc/conformance").await.json();
    assert!(c["conformsTo"].as_array().unwrap().iter().any(|x| {
        x.as_str()
            .unwrap()
            .ends_with("features-4/1.0/conf/create-replace-delete")
    }));
    let cols = a.get("/ogc/collections").await.json();
    let ids: Vec<&str> = cols["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["parcels", "available-land", "parks"]);
    let parcels = &cols["collections"][0];
    assert_eq!(
        parcels["storageCrs"],
        "http://www.opengis.net/def/crs/EPSG/0/4490"
    );
    assert!(
        parcels["crs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "http://www.opengis.net/def/crs/EPSG/0/4526")
    );
    let q = a.get("/ogc/collections/available-land/queryables").await;
    assert_eq!(q.headers[header::CONTENT_TYPE], "application/schema+json");
    assert!(q.json()["properties"]["area_mu"].is_object());
    assert!(
        q.json()["properties"]["enterprise"].is_null(),
        "the public list cannot filter by land user"
    );
    let html = a
        .req(
            "GET",
            "/ogc/collections/parcels/items?f=html&limit=2",
            None,
            &[],
            true,
        )
        .await;
    assert!(String::from_utf8_lossy(&html.bytes).contains("<table>"));
}

#[tokio::test]
async fn paging_time_travel_and_axis_order() {
    let a = app();
    let r = a.get("/ogc/collections/parcels/items?limit=8").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers["content-crs"],
        "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    );
    let v = r.json();
    assert_eq!(
        (v["numberMatched"].as_u64(), v["numberReturned"].as_u64()),
        (Some(20), Some(8))
    );
    let next = v["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "next")
        .unwrap()["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let next = next.split_once("/ogc").unwrap().1;
    let v2 = a.get(&format!("/ogc{next}")).await.json();
    assert_eq!(v2["numberReturned"], 8);
    assert_ne!(v["features"][0]["id"], v2["features"][0]["id"]);
    // The parcels as they were: before the renaming.
    let then = a
        .get("/ogc/collections/parcels/items?datetime=2021-01-01&limit=1")
        .await
        .json();
    assert!(
        !then["features"][0]["properties"]["name"]
            .as_str()
            .unwrap()
            .contains("更名")
    );
    let now = a.get("/ogc/collections/parcels/items?limit=1").await.json();
    assert!(
        now["features"][0]["properties"]["name"]
            .as_str()
            .unwrap()
            .contains("更名")
    );
    let both = a
        .get("/ogc/collections/parcels/items?datetime=2020-06-01/2021-12-31&limit=100")
        .await
        .json();
    assert_eq!(both["numberMatched"], 40, "both versions of every parcel");
    // bbox in CRS84 picks the first column.
    let b = a
        .get("/ogc/collections/parcels/items?bbox=113.805,34.005,113.8125,34.05")
        .await
        .json();
    assert_eq!(b["numberMatched"], 4);
    // EPSG:4490 is latitude first; the GK zone northing first.
    let lonlat = &now["features"][0]["geometry"]["coordinates"][0][0][0];
    let f = a
        .get(&format!(
            "/ogc/collections/parcels/items?limit=1&crs={}",
            enc("http://www.opengis.net/def/crs/EPSG/0/4490")
        ))
        .await;
    assert_eq!(
        f.headers["content-crs"],
        "<http://www.opengis.net/def/crs/EPSG/0/4490>"
    );
    let latlon = &f.json()["features"][0]["geometry"]["coordinates"][0][0][0];
    assert_eq!(
        (lonlat[0].clone(), lonlat[1].clone()),
        (latlon[1].clone(), latlon[0].clone())
    );
    let gk = a
        .get("/ogc/collections/parcels/items?limit=1&crs=EPSG:4526")
        .await
        .json();
    let ne = &gk["features"][0]["geometry"]["coordinates"][0][0][0];
    assert!(
        (3_700_000.0..3_800_000.0).contains(&ne[0].as_f64().unwrap()),
        "{ne}"
    );
    assert!(
        (38_000_000.0..39_000_000.0).contains(&ne[1].as_f64().unwrap()),
        "{ne}"
    );
    // The same box given in the GK zone (northing, easting order) finds the same parcels.
    let (n0, e0) = (
        ne[0].as_f64().unwrap() - 10.0,
        ne[1].as_f64().unwrap() - 10.0,
    );
    let boxed = a
        .get(&format!(
            "/ogc/collections/parcels/items?bbox={n0},{e0},{},{}&bbox-crs=EPSG:4526",
            n0 + 50.0,
            e0 + 50.0
        ))
        .await
        .json();
    assert!(boxed["numberMatched"].as_u64().unwrap() >= 1, "{boxed}");
}

#[tokio::test]
async fn cql2_operators_answer_correctly() {
    let a = app();
    let count = |f: &str, lang: &str| {
        format!(
            "/ogc/collections/parcels/items?limit=100&filter-lang={lang}&filter={}",
            enc(f)
        )
    };
    let cases: &[(&str, u64)] = &[
        ("status = 'listed'", 5),
        ("status <> 'listed'", 15),
        ("area_mu > 20", 13),
        ("area_mu BETWEEN 20 AND 31", 7),
        ("status IN ('reserved', 'listed')", 10),
        ("code LIKE '411002001001GB0001%'", 10),
        ("CASEI(code) LIKE CASEI('411002001001gb0000%')", 9),
        ("address IS NULL", 20),
        ("NOT (address IS NULL)", 0),
        (
            "S_INTERSECTS(geometry, BBOX(113.805, 34.005, 113.8125, 34.05))",
            4,
        ),
        (
            "S_WITHIN(geometry, POLYGON((113.80 34.00, 113.83 34.00, 113.83 34.06, 113.80 34.06, 113.80 34.00)))",
            8,
        ),
        ("S_CONTAINS(geometry, POINT(113.8105 34.0105))", 1),
        ("T_AFTER(valid_from, DATE('2021-01-01'))", 20),
        ("T_BEFORE(valid_from, DATE('2021-01-01'))", 0),
        ("valid_from = DATE('2021-06-01') AND status = 'granted'", 5),
    ];
    for (f, want) in cases {
        let r = a.get(&count(f, "cql2-text")).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{f}: {}",
            String::from_utf8_lossy(&r.bytes)
        );
        assert_eq!(r.json()["numberMatched"].as_u64(), Some(*want), "{f}");
    }
    let j = r#"{"op":"and","args":[{"op":"=","args":[{"property":"status"},"listed"]},{"op":">","args":[{"property":"area_mu"},20]}]}"#;
    let r = a.get(&count(j, "cql2-json")).await;
    assert_eq!(r.status, StatusCode::OK);
    let text = a
        .get(&count("status = 'listed' AND area_mu > 20", "cql2-text"))
        .await
        .json();
    assert_eq!(r.json()["numberMatched"], text["numberMatched"]);
    // Property equality parameters filter too.
    assert_eq!(
        a.get("/ogc/collections/parcels/items?status=listed")
            .await
            .json()["numberMatched"],
        5
    );
}

#[tokio::test]
async fn malformed_filters_are_400_never_500_and_change_nothing() {
    let a = app();
    let before = a.stats();
    let bad = [
        "(status = 'listed'",
        "status = 'listed'))",
        "nope = 1",
        "area_mu = 'big'",
        "area_mu + 1 > 2",
        "name = 'x'; DROP TABLE parcels; --'",
        "S_INTERSECTS(geometry, POLYGON((1 2, 3)))",
        "T_AFTER(name, DATE('2021-01-01'))",
        "status IN ()",
        "",
        "'; SELECT * FROM users; --",
    ];
    for f in bad {
        let r = a
            .get(&format!("/ogc/collections/parcels/items?filter={}", enc(f)))
            .await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "{f}: {}",
            String::from_utf8_lossy(&r.bytes)
        );
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/problem+json");
    }
    let r = a
        .get(&format!(
            "/ogc/collections/parcels/items?filter={}",
            enc("(status = 'listed'")
        ))
        .await;
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("syntax error at 1:"),
        "{}",
        r.json()
    );
    // A quote inside a literal is data, not SQL.
    let ok = a
        .get(&format!(
            "/ogc/collections/parcels/items?filter={}",
            enc("name = 'x''; DROP TABLE parcels; --'")
        ))
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.json()["numberMatched"], 0);
    assert_eq!(
        a.get("/ogc/collections/parcels/items?bogus=1").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(a.stats(), before);
}

#[tokio::test]
async fn public_collections_are_open_and_redacted_parcels_are_not() {
    let a = app();
    let r = a
        .req(
            "GET",
            "/ogc/collections/available-land/items",
            None,
            &[],
            false,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["numberMatched"], 10, "reserved + listed");
    for f in v["features"].as_array().unwrap() {
        assert!(
            f["properties"].get("enterprise").is_none() && f["properties"].get("name").is_none(),
            "{f}"
        );
    }
    assert_eq!(
        a.req("GET", "/ogc/collections/parcels/items", None, &[], false)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let t = a
        .req(
            "GET",
            "/ogc/collections/parcels/tiles/WebMercatorQuad/14/6543/13373",
            None,
            &[],
            false,
        )
        .await;
    assert_eq!(t.status, StatusCode::UNAUTHORIZED);
    let parks = a
        .req("GET", "/ogc/collections/parks/items", None, &[], false)
        .await
        .json();
    assert_eq!(parks["features"][0]["properties"]["id"], "weidu");
}

fn tile_of(z: u8, lon: f64, lat: f64) -> (u32, u32) {
    let (px, py) = landcycle_geo::TileMatrixSet::WebMercatorQuad.position(z, lon, lat);
    (px.floor() as u32, py.floor() as u32)
}

fn layer_ids(bytes: &[u8]) -> Vec<String> {
    let t = landcycle_geo::mvt::decode(bytes).unwrap();
    let l = &t.layers[0];
    let key = l.keys.iter().position(|k| k == "id").unwrap() as u32;
    l.features
        .iter()
        .map(|f| {
            let i = f.tags.chunks(2).find(|kv| kv[0] == key).unwrap()[1];
            l.values[i as usize].string_value.clone().unwrap()
        })
        .collect()
}

/// The numeric feature ids of a tile: each parcel's row id, at every zoom (no text `id`).
fn feature_ids(bytes: &[u8]) -> Vec<u64> {
    let t = landcycle_geo::mvt::decode(bytes).unwrap();
    t.layers[0].features.iter().map(|f| f.id.unwrap()).collect()
}

fn has_key(bytes: &[u8], key: &str) -> bool {
    landcycle_geo::mvt::decode(bytes).unwrap().layers[0]
        .keys
        .iter()
        .any(|k| k == key)
}

/// The tile at `url` with `If-None-Match: tag` and `Accept-Encoding: enc`.
async fn revalidate(a: &App, url: &str, tag: &str, enc: &str) -> Resp {
    a.req(
        "GET",
        url,
        None,
        &[("if-none-match", tag), ("accept-encoding", enc)],
        true,
    )
    .await
}

#[tokio::test]
async fn part4_edits_show_in_the_next_tile_and_stale_etags_get_412() {
    let a = app();
    let (x, y) = tile_of(15, 113.9305, 34.0805);
    let url = format!("/ogc/collections/parcels/tiles/WebMercatorQuad/15/{y}/{x}");
    let empty = a.get(&url).await;
    assert_eq!(empty.status, StatusCode::NO_CONTENT);
    // Create a parcel inside that tile.
    let body = json!({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[113.930, 34.080], [113.931, 34.080], [113.931, 34.081], [113.930, 34.081], [113.930, 34.080]]]},
        "properties": {"code": "411002001001GB09999", "name": "新地块", "jurisdiction": "411002", "park_id": "weidu", "land_use_code": "100101", "status": "reserved"}});
    let c = a
        .req(
            "POST",
            "/ogc/collections/parcels/items",
            Some(body),
            &[("x-change-reason", "%E6%96%B0%E5%A2%9E")],
            true,
        )
        .await;
    assert_eq!(
        c.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&c.bytes)
    );
    let id = c.json()["id"].as_str().unwrap().to_owned();
    let etag = c.headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(c.headers[header::LOCATION].to_str().unwrap().ends_with(&id));
    let t1 = a.get(&url).await;
    assert_eq!(t1.status, StatusCode::OK);
    assert!(!has_key(&t1.bytes, "id"), "no text id in the tiles");
    let fids = feature_ids(&t1.bytes);
    assert_eq!(fids.len(), 1);
    // The map finds the parcel by its feature id.
    let by_fid = format!("/api/parcels/by-feature/{}", fids[0]);
    let found = a.get(&by_fid).await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.json()["id"], id.as_str());
    assert_eq!(found.json()["properties"]["name"], "新地块");
    assert_eq!(
        a.get("/api/parcels/by-feature/x1").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        a.get("/api/parcels/by-feature/999999").await.status,
        StatusCode::NOT_FOUND
    );
    let tag1 = t1.headers[header::ETAG].to_str().unwrap().to_owned();
    assert_eq!(t1.headers[header::CACHE_CONTROL], "private, no-cache");
    assert!(
        t1.headers.get(header::CONTENT_ENCODING).is_none(),
        "raw unless asked"
    );
    assert!(
        t1.headers[header::VARY]
            .to_str()
            .unwrap()
            .contains("Accept-Encoding")
    );
    // Revalidation answers 304; a cache hit returns the same bytes.
    let again = a
        .req("GET", &url, None, &[("if-none-match", &tag1)], true)
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // Gzipped when accepted: the same tile, another representation with its own strong ETag.
    let gz = a
        .req(
            "GET",
            &url,
            None,
            &[("accept-encoding", "br;q=1, gzip;q=0.8")],
            true,
        )
        .await;
    assert_eq!(gz.status, StatusCode::OK);
    assert_eq!(gz.headers[header::CONTENT_ENCODING], "gzip");
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz.bytes[..]), &mut raw).unwrap();
    assert_eq!(raw, t1.bytes);
    let gz_tag = gz.headers[header::ETAG].to_str().unwrap().to_owned();
    assert_ne!(gz_tag, tag1);
    assert_eq!(
        revalidate(&a, &url, &gz_tag, "gzip").await.status,
        StatusCode::NOT_MODIFIED
    );
    // The raw bytes' tag does not validate the gzipped representation, nor the reverse.
    assert_eq!(
        revalidate(&a, &url, &tag1, "gzip, deflate").await.status,
        StatusCode::OK
    );
    let plain = revalidate(&a, &url, &gz_tag, "identity").await;
    assert_eq!(plain.status, StatusCode::OK);
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(
        revalidate(&a, &url, &gz_tag, "gzip;q=0").await.status,
        StatusCode::OK
    );
    // Move it out of the tile: the very next tile request no longer has it.
    let moved = json!({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[113.95, 34.09], [113.951, 34.09], [113.951, 34.091], [113.95, 34.091], [113.95, 34.09]]]}, "properties": {}});
    let p = a
        .req(
            "PATCH",
            &format!("/ogc/collections/parcels/items/{id}"),
            Some(moved.clone()),
            &[("if-match", &etag)],
            true,
        )
        .await;
    assert_eq!(
        p.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&p.bytes)
    );
    assert_eq!(
        p.json()["properties"]["name"],
        "新地块",
        "PATCH keeps what it does not name"
    );
    let t2 = a.get(&url).await;
    assert_eq!(
        t2.status,
        StatusCode::NO_CONTENT,
        "the edit evicted the tile at once"
    );
    assert_ne!(t2.headers[header::ETAG].to_str().unwrap(), tag1);
    // An edit keeps the parcel's row, so its feature id still finds it.
    assert_eq!(a.get(&by_fid).await.json()["id"], id.as_str());
    // A stale ETag is refused and changes nothing.
    let before = a.stats();
    let stale = a
        .req(
            "PATCH",
            &format!("/ogc/collections/parcels/items/{id}"),
            Some(moved),
            &[("if-match", &etag)],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(a.stats(), before);
    // The history has the OGC edits with the reason sent.
    let hist = a.state.registry().store().events_of(&id).unwrap();
    assert_eq!(hist[0].reason.reason, "新增");
    // Delete ends it; the item is gone, its history stays.
    let cur = a.get(&format!("/ogc/collections/parcels/items/{id}")).await;
    let tag = cur.headers[header::ETAG].to_str().unwrap().to_owned();
    let d = a
        .req(
            "DELETE",
            &format!("/ogc/collections/parcels/items/{id}"),
            None,
            &[("if-match", &tag)],
            true,
        )
        .await;
    assert_eq!(d.status, StatusCode::NO_CONTENT);
    assert_eq!(
        a.get(&by_fid).await.status,
        StatusCode::NOT_FOUND,
        "an ended parcel's fid names nothing"
    );
    assert_eq!(
        a.get(&format!("/ogc/collections/parcels/items/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn tiles_take_the_items_filter_and_both_matrix_sets() {
    let a = app();
    let (x, y) = tile_of(9, 113.83, 34.02);
    let all = a
        .get(&format!(
            "/ogc/collections/parcels/tiles/WebMercatorQuad/9/{y}/{x}"
        ))
        .await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(
        all.headers[header::CONTENT_TYPE],
        "application/vnd.mapbox-vector-tile"
    );
    // A z9 tile is 0.70° wide, 0.00137° a pixel of 512: the seven 0.001° × 0.001° parcels
    // (i % 3 == 0) are under a pixel there and left out; a z14 tile shows parcel 0.
    assert_eq!(feature_ids(&all.bytes).len(), 13);
    assert!(
        !has_key(&all.bytes, "id") && has_key(&all.bytes, "status"),
        "no text id"
    );
    let (x14, y14) = tile_of(14, 113.8105, 34.0105);
    let z14 = a
        .get(&format!(
            "/ogc/collections/parcels/tiles/WebMercatorQuad/14/{y14}/{x14}"
        ))
        .await;
    assert!(!feature_ids(&z14.bytes).is_empty(), "parcel 0 drawn at z14");
    assert!(!has_key(&z14.bytes, "id"), "no text id at z14 either");
    assert!(
        feature_ids(&z14.bytes)
            .iter()
            .all(|id| !feature_ids(&all.bytes).contains(id)),
        "parcel 0 was under a pixel at z9"
    );
    // A parcel keeps its feature id across zooms.
    let (x13, y13) = tile_of(13, 113.8105, 34.0105);
    let z13 = a
        .get(&format!(
            "/ogc/collections/parcels/tiles/WebMercatorQuad/13/{y13}/{x13}"
        ))
        .await;
    assert!(
        feature_ids(&z14.bytes)
            .iter()
            .all(|id| feature_ids(&z13.bytes).contains(id))
    );
    let f = enc("status = 'listed'");
    let listed = a
        .get(&format!(
            "/ogc/collections/parcels/tiles/WebMercatorQuad/9/{y}/{x}?filter={f}"
        ))
        .await;
    // Listed: i = 1, 5, 9, 13, 17, of which 9 is under a pixel.
    assert_eq!(feature_ids(&listed.bytes).len(), 4);
    let (px, py) = landcycle_geo::TileMatrixSet::WorldCrs84Quad.position(10, 113.83, 34.02);
    let crs84 = a
        .get(&format!(
            "/ogc/collections/available-land/tiles/WorldCRS84Quad/10/{}/{}",
            py.floor(),
            px.floor()
        ))
        .await;
    assert_eq!(crs84.status, StatusCode::OK);
    assert_eq!(feature_ids(&crs84.bytes).len(), 10);
    assert_eq!(
        layer_ids(&crs84.bytes).len(),
        10,
        "the public list keeps its text id"
    );
    let tj = a
        .get("/ogc/collections/parcels/tiles/WebMercatorQuad?f=tilejson")
        .await
        .json();
    assert!(
        tj["tiles"][0]
            .as_str()
            .unwrap()
            .ends_with("/tiles/WebMercatorQuad/{z}/{y}/{x}")
    );
    assert_eq!(
        a.get("/ogc/collections/parcels/tiles/WebMercatorQuad/2/9/9")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        a.get("/ogc/collections/parcels/tiles/Nope/2/1/1")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn tiles_of_another_day_are_other_tiles() {
    let a = app();
    let (x, y) = tile_of(9, 113.83, 34.02);
    let url = format!("/ogc/collections/parcels/tiles/WebMercatorQuad/9/{y}/{x}");
    assert_eq!(a.get(&url).await.status, StatusCode::OK);
    // Before the parcels were recorded (2020-01-01) the same tile is empty, cache or not.
    let then = a.get(&format!("{url}?datetime=2019-01-01")).await;
    assert_eq!(then.status, StatusCode::NO_CONTENT);
    // A tile as of a date draws history rows: the text id, and no row id (another numbering).
    let old = a.get(&format!("{url}?datetime=2020-06-01")).await;
    assert_eq!(old.status, StatusCode::OK);
    assert_eq!(layer_ids(&old.bytes).len(), 13);
    assert!(
        landcycle_geo::mvt::decode(&old.bytes).unwrap().layers[0]
            .features
            .iter()
            .all(|f| f.id.is_none())
    );
}
