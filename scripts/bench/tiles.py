"""Distinct random Web Mercator tiles over an extent, z10–16 (BENCHMARKS.md, issue 7).

usage: python3 tiles.py MIN_LON,MIN_LAT,MAX_LON,MAX_LAT [PER_ZOOM] [SEED] > tiles.txt
Each zoom contributes up to PER_ZOOM distinct tiles (all of them where the extent has fewer);
the lines "z x y" are shuffled so that every client sees a mix of zooms.
"""
import math
import random
import sys


def tile(lon, lat, z):
    n = 2 ** z
    x = int((lon + 180.0) / 360.0 * n)
    r = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(r)) / math.pi) / 2.0 * n)
    return min(x, n - 1), min(y, n - 1)


def main():
    x0, y0, x1, y1 = (float(v) for v in sys.argv[1].split(","))
    per_zoom = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    out = []
    for z in range(10, 17):
        (tx0, ty1), (tx1, ty0) = tile(x0, y0, z), tile(x1, y1, z)
        every = [(x, y) for x in range(tx0, tx1 + 1) for y in range(ty0, ty1 + 1)]
        picked = every if len(every) <= per_zoom else rng.sample(every, per_zoom)
        out += [(z, x, y) for x, y in picked]
    rng.shuffle(out)
    for z, x, y in out:
        print(z, x, y)


main()
