// The public portal's data: only /api/public/*, always without the session cookie.
import { api, query } from './http'
import type { Feature, Park, PublicLandProps } from './types'

export interface PublicLandCollection {
  type: 'FeatureCollection'
  numberMatched: number
  features: Feature<PublicLandProps>[]
}

export interface PublicFilter {
  park?: string
  status?: string
  min_mu?: number | null
  max_mu?: number | null
}

export function availableLand(f: PublicFilter = {}) {
  return api<PublicLandCollection>('/api/public/available-land' + query({ ...f }), { anonymous: true })
}

export function availableParcel(id: string) {
  return api<Feature<PublicLandProps>>(`/api/public/available-land/${id}`, { anonymous: true })
}

export function publicParks() {
  return api<Park[]>('/api/parks', { anonymous: true })
}

export interface IntentionForm {
  parcel_id?: string
  park_id?: string
  company: string
  contact: string
  phone: string
  area_mu?: number | null
  industry?: string
  message?: string
}

export function sendIntention(f: IntentionForm) {
  return api<{ id: number }>('/api/public/intentions', { method: 'POST', body: f, anonymous: true })
}
