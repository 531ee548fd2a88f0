// Where the map's parcels come from: the OGC API vector tiles of the parcels collection
// (/ogc/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}, source-layer "parcels", MVT
// attributes code, status, land_use, park_id, area_mu, name; the numeric feature id is the
// parcel's row id, which GET /api/parcels/by-feature/{fid} turns into the parcel), scoped by
// the server to the reader's jurisdiction. Filters are applied to the drawn layers; what the view holds is read
// back from the loaded tiles. The rest of the UI only uses this module's interface.
import type { FilterSpecification, Map as MlMap, MapGeoJSONFeature } from 'maplibre-gl'

export const SOURCE_ID = 'parcels'
const SOURCE_LAYER = 'parcels'
/** Below this zoom no parcel is drawn (the city view shows the parks). */
export const MIN_ZOOM = 12

export interface ParcelFilter {
  park?: string
  status?: string[]
}

export interface FlatProps {
  /** The tile feature id (the parcel's row id), as text: one per parcel. */
  id: string
  code: string
  status: string
  land_use: string
  park_id: string
  area_mu: number
  name: string
}

export interface ParcelSource {
  /** What a layer drawing the parcels names as its source. */
  layer: { source: string; 'source-layer': string }
  setFilter(f: ParcelFilter): void
  /** The filter the parcel layers carry. */
  filter(): FilterSpecification
  /** Parcels drawn in the view, one per parcel (tiles cut parcels at their edges). */
  features(): GeoJSON.Feature<GeoJSON.Geometry, FlatProps>[]
  counts(): { total: number; loaded: number }
  onChange(cb: () => void): void
  reload(): Promise<void>
}

function asFlat(f: MapGeoJSONFeature): GeoJSON.Feature<GeoJSON.Geometry, FlatProps> {
  const p = f.properties as Record<string, unknown>
  return {
    type: 'Feature',
    geometry: f.geometry,
    properties: {
      id: String(f.id ?? ''),
      code: String(p.code ?? ''),
      status: String(p.status ?? ''),
      land_use: String(p.land_use ?? ''),
      park_id: String(p.park_id ?? ''),
      area_mu: Number(p.area_mu ?? 0),
      name: String(p.name ?? ''),
    },
  }
}

export function attachParcelSource(map: MlMap): ParcelSource {
  let current: ParcelFilter = {}
  let drawn: GeoJSON.Feature<GeoJSON.Geometry, FlatProps>[] = []
  const listeners: (() => void)[] = []
  map.addSource(SOURCE_ID, {
    type: 'vector',
    tiles: [`${location.origin}/ogc/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}`],
    minzoom: MIN_ZOOM,
    maxzoom: 18,
  })

  function filter(): FilterSpecification {
    const all: unknown[] = ['all']
    if (current.park) all.push(['==', ['get', 'park_id'], current.park])
    if (current.status?.length) all.push(['in', ['get', 'status'], ['literal', current.status]])
    return all as FilterSpecification
  }

  function collect() {
    if (map.getZoom() < MIN_ZOOM) {
      drawn = []
    } else {
      const byId = new Map<string, GeoJSON.Feature<GeoJSON.Geometry, FlatProps>>()
      for (const f of map.querySourceFeatures(SOURCE_ID, { sourceLayer: SOURCE_LAYER, filter: filter() })) {
        const flat = asFlat(f)
        if (!byId.has(flat.properties.id)) byId.set(flat.properties.id, flat)
      }
      const b = map.getBounds()
      drawn = [...byId.values()].filter((f) => {
        const c = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0][0] : f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates[0][0][0] : null
        return c !== null && b.contains(c as [number, number])
      })
    }
    listeners.forEach((l) => l())
  }

  let timer: ReturnType<typeof setTimeout> | undefined
  map.on('idle', () => {
    clearTimeout(timer)
    timer = setTimeout(collect, 50)
  })

  return {
    layer: { source: SOURCE_ID, 'source-layer': SOURCE_LAYER },
    setFilter(f) {
      current = f
      for (const id of ['parcels-fill', 'parcels-line']) if (map.getLayer(id)) map.setFilter(id, filter())
      map.triggerRepaint()
    },
    filter,
    features: () => drawn,
    counts: () => ({ total: drawn.length, loaded: drawn.length }),
    onChange: (cb) => listeners.push(cb),
    reload: async () => collect(),
  }
}
