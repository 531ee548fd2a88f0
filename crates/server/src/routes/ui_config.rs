//! What the web UI needs to know at start: an optional base map (a 天地图 key or a local raster
//! tile URL, from the environment) and where vector tiles are served. The UI works without a
//! base map: parcels and park boundaries are drawn on a plain background.

use crate::AppState;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

/// A raster base map.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct BaseMap {
    /// Tile URL templates with `{z}`, `{x}`, `{y}` (several for subdomains).
    pub tiles: Vec<String>,
    /// Attribution shown on the map.
    pub attribution: String,
    /// Tiles of labels drawn over the base map (天地图 annotation layer), if any.
    pub labels: Vec<String>,
}

/// The UI's configuration.
#[derive(Debug, Clone, Default, Serialize, ToSchema, PartialEq, Eq)]
pub struct UiConfig {
    /// The base map, when one is configured (`LANDCYCLE_TIANDITU_KEY` or
    /// `LANDCYCLE_BASEMAP_TILES`).
    pub basemap: Option<BaseMap>,
}

impl UiConfig {
    /// From the environment: `LANDCYCLE_BASEMAP_TILES` (a tile URL template, e.g. a local
    /// tile server's `http://10.0.0.5/tiles/{z}/{x}/{y}.png`, `,`-separated for several) wins
    /// over `LANDCYCLE_TIANDITU_KEY` (天地图 Web Mercator vector + annotation tiles).
    pub fn from_env() -> Self {
        let tiles = std::env::var("LANDCYCLE_BASEMAP_TILES").ok();
        let key = std::env::var("LANDCYCLE_TIANDITU_KEY").ok();
        Self::from_values(tiles.as_deref(), key.as_deref())
    }

    /// From the two settings' values.
    pub fn from_values(tiles: Option<&str>, tianditu_key: Option<&str>) -> Self {
        let tiles: Vec<String> = tiles
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|t| t.starts_with("http://") || t.starts_with("https://") || t.starts_with('/'))
            .map(str::to_owned)
            .collect();
        if !tiles.is_empty() {
            return Self {
                basemap: Some(BaseMap {
                    tiles,
                    attribution: String::new(),
                    labels: vec![],
                }),
            };
        }
        let key = tianditu_key
            .map(str::trim)
            .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric()));
        let Some(key) = key else {
            return Self::default();
        };
        let wmts = |layer: &str| {
            (0..8)
                .map(|n| format!("https://t{n}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"))
                .collect()
        };
        Self {
            basemap: Some(BaseMap {
                tiles: wmts("vec"),
                attribution: "天地图 GS(2024)0568号".into(),
                labels: wmts("cva"),
            }),
        }
    }

    /// Origins the base map loads from (for the Content-Security-Policy).
    pub fn origins(&self) -> Vec<String> {
        let mut o: Vec<String> = self
            .basemap
            .iter()
            .flat_map(|b| b.tiles.iter().chain(&b.labels))
            .filter_map(|u| {
                let (scheme, rest) = u.split_once("://")?;
                let host = rest.split('/').next()?;
                Some(format!("{scheme}://{host}"))
            })
            .collect();
        o.sort();
        o.dedup();
        o
    }
}

/// The UI configuration (public).
#[utoipa::path(get, path = "/api/ui/config", tag = "meta",
    responses((status = 200, body = UiConfig)))]
pub async fn get(State(st): State<AppState>) -> Json<UiConfig> {
    Json(st.ui.as_ref().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_map_from_settings() {
        assert_eq!(UiConfig::from_values(None, None), UiConfig::default());
        let local =
            UiConfig::from_values(Some("http://10.0.0.5:8081/t/{z}/{x}/{y}.png"), Some("abc"));
        assert_eq!(local.origins(), vec!["http://10.0.0.5:8081"]);
        let tdt = UiConfig::from_values(None, Some("0123abcd"));
        assert_eq!(tdt.origins().len(), 8);
        assert!(tdt.basemap.unwrap().tiles[0].contains("tk=0123abcd"));
        assert_eq!(
            UiConfig::from_values(None, Some("bad key\"")),
            UiConfig::default()
        );
    }
}
