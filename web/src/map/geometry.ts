// Small geometry helpers for the map tools (selection, fitting).

export type Ring = [number, number][]

export function bboxOf(g: GeoJSON.Geometry): [number, number, number, number] {
  let [minx, miny, maxx, maxy] = [Infinity, Infinity, -Infinity, -Infinity]
  const visit = (c: any) => {
    if (typeof c[0] === 'number') {
      minx = Math.min(minx, c[0]); miny = Math.min(miny, c[1]); maxx = Math.max(maxx, c[0]); maxy = Math.max(maxy, c[1])
    } else c.forEach(visit)
  }
  if ('coordinates' in g) visit(g.coordinates)
  return [minx, miny, maxx, maxy]
}

/** Ray casting: is the point inside the ring? */
export function pointInRing([x, y]: [number, number], ring: Ring): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]
    const [xj, yj] = ring[j]
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Centre of the bounding box: good enough for small parcels. */
export function centreOf(g: GeoJSON.Geometry): [number, number] {
  const [a, b, c, d] = bboxOf(g)
  return [(a + c) / 2, (b + d) / 2]
}
