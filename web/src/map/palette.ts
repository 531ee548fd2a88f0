// Colours of parcels by lifecycle stage and by land use, shared by the map and its legend.
import type { ExpressionSpecification } from 'maplibre-gl'

/** Lifecycle stages grouped for the map: colour and the statuses in the group. */
export const STATUS_COLORS: [string, string][] = [
  ['approved_unsupplied', '#e8a33d'],
  ['reserved', '#f2d15c'],
  ['listed', '#9ccc65'],
  ['granted', '#64b5f6'],
  ['delivered', '#4f9de0'],
  ['started', '#3b82c4'],
  ['completed', '#2f6fa8'],
  ['conformity_checked', '#2a5f90'],
  ['in_production', '#26a69a'],
  ['capacity_reviewed', '#1f8f84'],
  ['operating', '#1f6f5c'],
  ['near_expiry', '#ab47bc'],
  ['renewed', '#7e57c2'],
  ['recovered', '#d84343'],
  ['transferred', '#8d6e63'],
]

/** Land-use classes: key, colour, the codes (国土空间调查 and GB 50137) that fall in it. */
export const USE_CLASSES: { key: string; color: string; codes: string[] }[] = [
  { key: 'industrial1', color: '#c9a0dc', codes: ['100101', 'M1'] },
  { key: 'industrial2', color: '#9c6ade', codes: ['100102', 'M2'] },
  { key: 'industrial3', color: '#6a3d9a', codes: ['100103', 'M3'] },
  { key: 'storage', color: '#4a90c2', codes: ['1101', '110101', '110102', '110103', 'W1', 'W2', 'W3', 'W'] },
]
export const OTHER_USE_COLOR = '#9e9e9e'

export type StyleMode = 'status' | 'use'

export function fillColor(mode: StyleMode): ExpressionSpecification {
  if (mode === 'status') {
    return ['match', ['get', 'status'], ...STATUS_COLORS.flat(), '#bdbdbd'] as unknown as ExpressionSpecification
  }
  const arms: (string | string[])[] = []
  for (const c of USE_CLASSES) arms.push(c.codes, c.color)
  return ['match', ['get', 'land_use'], ...arms, OTHER_USE_COLOR] as unknown as ExpressionSpecification
}
