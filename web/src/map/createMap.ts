// A MapLibre map with the landcycle base style and its worker served from this server.
import * as maplibregl from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { api } from '../api/http'
import type { Park, UiConfig } from '../api/types'
import { baseStyle } from './baseStyle'
import { bboxOf, centreOf } from './geometry'

maplibregl.setWorkerUrl(workerUrl)

let config: Promise<UiConfig | null> | null = null
export function uiConfig(): Promise<UiConfig | null> {
  config ??= api<UiConfig>('/api/ui/config').catch(() => null)
  return config
}

/** Xuchang, before anything is loaded. */
const XUCHANG: [number, number] = [113.83, 34.03]

export async function createMap(container: HTMLElement): Promise<maplibregl.Map> {
  const cfg = await uiConfig()
  const map = new maplibregl.Map({
    container,
    style: baseStyle(cfg),
    center: XUCHANG,
    zoom: 9,
    attributionControl: cfg?.basemap ? { compact: true } : false,
    canvasContextAttributes: { preserveDrawingBuffer: true },
  } as maplibregl.MapOptions)
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right')
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left')
  await new Promise<void>((resolve) => (map.loaded() ? resolve() : map.once('load', () => resolve())))
  return map
}

/** Park boundaries with their names as HTML labels (no glyph server needed). */
export function addParks(map: maplibregl.Map, parks: Park[]): maplibregl.Marker[] {
  const features: GeoJSON.Feature[] = parks
    .filter((p) => p.boundary)
    .map((p) => ({ type: 'Feature', id: p.id, properties: { id: p.id, name: p.name }, geometry: p.boundary as GeoJSON.Geometry }))
  map.addSource('parks', { type: 'geojson', data: { type: 'FeatureCollection', features } })
  map.addLayer({ id: 'parks-fill', type: 'fill', source: 'parks', paint: { 'fill-color': '#1f6f5c', 'fill-opacity': 0.06 } })
  map.addLayer({ id: 'parks-line', type: 'line', source: 'parks', paint: { 'line-color': '#1f6f5c', 'line-width': 2, 'line-dasharray': [3, 2] } })
  return features.map((f) => {
    const el = document.createElement('div')
    el.className = 'park-label'
    el.textContent = String(f.properties?.name ?? '')
    return new maplibregl.Marker({ element: el }).setLngLat(centreOf(f.geometry)).addTo(map)
  })
}

export function fitTo(map: maplibregl.Map, geoms: GeoJSON.Geometry[], maxZoom = 16) {
  if (!geoms.length) return
  let [a, b, c, d] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const g of geoms) {
    const [w, s, e, n] = bboxOf(g)
    a = Math.min(a, w); b = Math.min(b, s); c = Math.max(c, e); d = Math.max(d, n)
  }
  map.fitBounds([[a, b], [c, d]], { padding: 40, maxZoom, duration: 0 })
}

export { maplibregl }
