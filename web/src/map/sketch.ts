// Measuring (distance, area) and drawing a selection polygon on the map: click to add a
// vertex, double-click to finish. Geodesic length and area by turf.
import type { GeoJSONSource, Map as MlMap, MapMouseEvent } from 'maplibre-gl'
import turfArea from '@turf/area'
import turfLength from '@turf/length'

export type SketchMode = 'none' | 'length' | 'area' | 'select'

export interface SketchResult {
  mode: SketchMode
  coords: [number, number][]
  lengthM: number
  areaM2: number
  done: boolean
}

const SRC = 'sketch'

function geometryOf(mode: SketchMode, coords: [number, number][]): GeoJSON.Feature[] {
  const out: GeoJSON.Feature[] = coords.map((c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } }))
  if (coords.length >= 2) {
    const line = mode === 'length' ? coords : [...coords, coords[0]]
    out.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: line } })
  }
  if (mode !== 'length' && coords.length >= 3) {
    out.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...coords, coords[0]]] } })
  }
  return out
}

export function measure(mode: SketchMode, coords: [number, number][]): { lengthM: number; areaM2: number } {
  let lengthM = 0
  let areaM2 = 0
  if (coords.length >= 2) {
    const line = mode === 'length' ? coords : [...coords, coords[0]]
    lengthM = turfLength({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: line } }, { units: 'kilometers' }) * 1000
  }
  if (mode !== 'length' && coords.length >= 3) {
    areaM2 = turfArea({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...coords, coords[0]]] } })
  }
  return { lengthM, areaM2 }
}

export interface Sketch {
  start(mode: SketchMode): void
  clear(): void
  active(): boolean
}

export function attachSketch(map: MlMap, onChange: (r: SketchResult) => void): Sketch {
  let mode: SketchMode = 'none'
  let coords: [number, number][] = []
  let hover: [number, number] | null = null
  let done = false
  map.addSource(SRC, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } })
  map.addLayer({ id: 'sketch-fill', type: 'fill', source: SRC, filter: ['==', '$type', 'Polygon'], paint: { 'fill-color': '#ff7043', 'fill-opacity': 0.15 } })
  map.addLayer({ id: 'sketch-line', type: 'line', source: SRC, filter: ['==', '$type', 'LineString'], paint: { 'line-color': '#ff5722', 'line-width': 2, 'line-dasharray': [2, 1] } })
  map.addLayer({ id: 'sketch-points', type: 'circle', source: SRC, filter: ['==', '$type', 'Point'], paint: { 'circle-radius': 4, 'circle-color': '#fff', 'circle-stroke-color': '#ff5722', 'circle-stroke-width': 2 } })

  function redraw() {
    const shown = hover && !done ? [...coords, hover] : coords
    ;(map.getSource(SRC) as GeoJSONSource).setData({ type: 'FeatureCollection', features: geometryOf(mode, shown) })
    onChange({ mode, coords, ...measure(mode, coords), done })
  }

  map.on('click', (e: MapMouseEvent) => {
    if (mode === 'none' || done) return
    coords.push([e.lngLat.lng, e.lngLat.lat])
    redraw()
  })
  map.on('dblclick', (e: MapMouseEvent) => {
    if (mode === 'none' || done) return
    e.preventDefault()
    done = true
    hover = null
    map.getCanvas().style.cursor = ''
    redraw()
  })
  map.on('mousemove', (e: MapMouseEvent) => {
    if (mode === 'none' || done || coords.length === 0) return
    hover = [e.lngLat.lng, e.lngLat.lat]
    const shown = [...coords, hover]
    ;(map.getSource(SRC) as GeoJSONSource).setData({ type: 'FeatureCollection', features: geometryOf(mode, shown) })
  })

  return {
    start(m) {
      mode = m
      coords = []
      hover = null
      done = false
      map.getCanvas().style.cursor = m === 'none' ? '' : 'crosshair'
      if (m === 'none') map.doubleClickZoom.enable()
      else map.doubleClickZoom.disable()
      redraw()
    },
    clear() {
      this.start('none')
    },
    active: () => mode !== 'none' && !done,
  }
}
