// Shapes of the landcycle REST API as the UI reads them (see /api/openapi.json).

export interface Me {
  user: string
  role: Role
  role_zh: string
  scope: string
  scope_value: string | null
  read_only: boolean
}

export type Role = 'admin' | 'city' | 'county' | 'park' | 'department' | 'enterprise' | 'auditor'

export interface LandUse {
  system: string
  code: string
  name_zh: string | null
  territorial_code: string | null
}

export interface Planning {
  far_min: string | null
  far_max: string | null
  building_coverage_min: string | null
  green_ratio_max: string | null
  height_max_m: string | null
}

export interface ParcelProps {
  id: string
  version: number
  code: string | null
  legacy_codes: string[]
  name: string
  address: string | null
  jurisdiction: string
  park_id: string | null
  land_use: LandUse
  status: string
  status_zh: string
  computed_area_m2: string
  computed_area_mu: string
  registered_area_m2: string | null
  registered_area_mu: string | null
  enterprise: string | null
  planning: Planning
  parents: string[]
  valid_from: string
  valid_to: string | null
}

export interface Feature<P> {
  type: 'Feature'
  id: string
  geometry: GeoJSON.Geometry
  properties: P
}

export interface ParcelCollection {
  type: 'FeatureCollection'
  numberMatched: number
  numberReturned: number
  features: Feature<ParcelProps>[]
}

export interface Park {
  id: string
  name: string
  jurisdiction: string
  jurisdiction_name: string
  lead_industries: string[]
  tax_per_mu_target: { min_wan: string; max_wan: string | null }
  area_km2: string | null
  boundary: GeoJSON.MultiPolygon | null
}

export interface EventOut {
  seq: number
  kind: string
  kind_zh: string
  actor: string
  recorded_at: string
  effective: string
  reason: string
  reference: string | null
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
}

export interface Supply {
  id: string
  parcel_id: string
  enterprise: string
  mode: string
  mode_zh: string
  contract_no: string
  contract_date: string
  delivery_date: string | null
  agreed_start: string | null
  agreed_completion: string | null
  term_years: number | null
  price_yuan: string
  price_wan: string
}

export interface Attachment {
  sha256: string
  name: string
  content_type: string
  size: number
  uploaded_by: string
  uploaded_at: string
}

export interface Timeline {
  versions: Feature<ParcelProps>[]
  events: EventOut[]
  supplies: Supply[]
  attachments: Attachment[]
  parents: string[]
  children: string[]
}

export type FindingKind = 'idle' | 'unsupplied' | 'low_efficiency' | 'other'

export interface Finding {
  rule_id: string
  /** The inventory (闲置土地 / 批而未供 / 低效用地) and its Chinese name. */
  kind: FindingKind
  kind_zh: string
  subject: { kind: string; id: string }
  /** The parcel, when the finding is about one. */
  parcel: { code: string | null; name: string; park_id: string | null } | null
  as_of: string
  rule_set_version: string
  inputs: Record<string, string>
  requires_officer_confirmation: boolean
  reason_zh: string
  reason_en: string
  severity: string
  severity_zh: string
  threshold: string
  source: { doc: string; article: string }
}

export interface Enterprise {
  uscc: string
  name: string
  industry_code: string | null
  above_scale: boolean
  park_id: string | null
  address: string | null
}

export interface EnterpriseDetail {
  enterprise: Enterprise
  parcels: string[]
  supplies: Supply[]
  figures: { year: number; tax_yuan: string; output_yuan: string | null; electricity_kwh: string | null; employees: number | null }[]
}

export interface ParkTally {
  parcels: number
  idle: number
  idle_two_years: number
  unsupplied: number
  low_efficiency: number
  stock: Record<string, number>
}

export interface FindingsSummary {
  as_of: string
  year: number
  by_park: Record<string, ParkTally>
}

export interface ParkYear {
  year: number
  enterprises: number
  tax_yuan: string
  land_mu: string
  tax_per_mu_wan: string | null
  position: 'below' | 'within' | 'above' | null
}

export interface ParkEfficiency {
  park_id: string
  name: string
  target: { min_wan: string; max_wan: string | null }
  years: ParkYear[]
  classes: { A: number; B: number; C: number; D: number; not_rated: number } | null
}

export interface EfficiencyTable {
  evaluation_run: string | null
  evaluation_year: number | null
  parks: ParkEfficiency[]
}

export interface PublicLandProps {
  id: string
  code: string | null
  name: string
  address: string | null
  park_id: string | null
  park_name: string | null
  jurisdiction_name: string | null
  land_use_code: string
  land_use_zh: string | null
  status: string
  status_zh: string
  area_m2: string
  area_mu: string
  planning: Planning
  supply_route: string
  supply_route_zh: string
  supply_modes: string[]
  price_guide: { wan_per_mu: string; grants: number; from_year: number; to_year: number } | null
  contact: string | null
}

export interface Intention {
  id: number
  received_at: string
  parcel_id: string | null
  park_id: string | null
  company: string
  contact: string
  phone: string
  area_mu: string | null
  industry: string | null
  message: string | null
}

export interface UiConfig {
  basemap: { tiles: string[]; attribution: string; labels: string[] } | null
}
