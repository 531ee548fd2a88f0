// The parks, read once: names for ids shown across the UI.
import { reactive } from 'vue'
import { api } from './http'
import type { Park } from './types'

const names = reactive<Record<string, string>>({})
let loading: Promise<void> | null = null

export function loadParks(): Promise<void> {
  loading ??= api<Park[]>('/api/parks', { anonymous: true }).then((ps) => {
    for (const p of ps) names[p.id] = p.name
  })
  return loading
}

/** The park's name (its id until the list has loaded). */
export function parkName(id: string | null | undefined): string {
  if (!id) return '—'
  void loadParks()
  return names[id] ?? id
}
