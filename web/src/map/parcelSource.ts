// Where the map's parcels come from: one module, so that moving from GeoJSON pages of
// /api/parcels to the OGC vector tiles (/ogc/collections/parcels/tiles/WebMercatorQuad/{z}/{x}/{y},
// source-layer "parcels") is one change here. Features carry the tiles' attribute set:
// id, code, status, land_use, park_id, area_mu, name.
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl'
import { api, query } from '../api/http'
import type { ParcelCollection, ParcelProps } from '../api/types'

export const SOURCE_ID = 'parcels'
/** Below this zoom no parcel is loaded (the city view shows the parks). */
export const MIN_ZOOM = 12
const PAGE = 4000

export interface ParcelFilter {
  park?: string
  status?: string[]
}

export interface FlatProps {
  id: string
  code: string
  status: string
  land_use: string
  park_id: string
  area_mu: number
  name: string
}

export function flatten(p: ParcelProps): FlatProps {
  return {
    id: p.id,
    code: p.code ?? '',
    status: p.status,
    land_use: p.land_use.territorial_code ?? p.land_use.code,
    park_id: p.park_id ?? '',
    area_mu: Number(p.computed_area_mu),
    name: p.name,
  }
}

export interface ParcelSource {
  setFilter(f: ParcelFilter): void
  /** Features currently loaded (GeoJSON mode). */
  features(): GeoJSON.Feature<GeoJSON.Geometry, FlatProps>[]
  /** Matching in the current view, and loaded. */
  counts(): { total: number; loaded: number }
  onChange(cb: () => void): void
  reload(): Promise<void>
}

export function attachParcelSource(map: MlMap): ParcelSource {
  let filter: ParcelFilter = {}
  let loaded: GeoJSON.Feature<GeoJSON.Geometry, FlatProps>[] = []
  let total = 0
  let ctrl: AbortController | null = null
  const listeners: (() => void)[] = []
  map.addSource(SOURCE_ID, { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' })

  async function reload() {
    ctrl?.abort()
    if (map.getZoom() < MIN_ZOOM) {
      loaded = []
      total = 0
    } else {
      ctrl = new AbortController()
      const b = map.getBounds()
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',')
      try {
        const r = await api<ParcelCollection>(
          '/api/parcels' + query({ bbox, limit: PAGE, park: filter.park, status: filter.status?.join(',') }),
          { signal: ctrl.signal },
        )
        loaded = r.features.map((f) => ({ type: 'Feature', id: f.id, geometry: f.geometry, properties: flatten(f.properties) }))
        total = r.numberMatched
      } catch (e: any) {
        if (e?.name === 'AbortError') return
        throw e
      }
    }
    ;(map.getSource(SOURCE_ID) as GeoJSONSource).setData({ type: 'FeatureCollection', features: loaded })
    listeners.forEach((l) => l())
  }

  let timer: ReturnType<typeof setTimeout> | undefined
  map.on('moveend', () => {
    clearTimeout(timer)
    timer = setTimeout(() => void reload(), 150)
  })

  return {
    setFilter(f) {
      filter = f
      void reload()
    },
    features: () => loaded,
    counts: () => ({ total, loaded: loaded.length }),
    onChange: (cb) => listeners.push(cb),
    reload,
  }
}
