// The map's base style: a plain background, or a configured raster base map (天地图 or a
// local tile server, from /api/ui/config). No glyphs or sprites are needed: park names are
// HTML markers, so nothing is fetched from other hosts.
import type { StyleSpecification } from 'maplibre-gl'
import type { UiConfig } from '../api/types'

export function baseStyle(cfg: UiConfig | null): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef2ef' } }],
  }
  const b = cfg?.basemap
  if (b && b.tiles.length) {
    style.sources.basemap = { type: 'raster', tiles: b.tiles, tileSize: 256, attribution: b.attribution, maxzoom: 18 }
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' })
    if (b.labels.length) {
      style.sources.basemapLabels = { type: 'raster', tiles: b.labels, tileSize: 256, maxzoom: 18 }
      style.layers.push({ id: 'basemap-labels', type: 'raster', source: 'basemapLabels' })
    }
  }
  return style
}
