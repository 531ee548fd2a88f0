"""Cold-cache tile pass: every tile of a list requested exactly once by N concurrent clients
(keep-alive connections), for the first-request figures of BENCHMARKS.md (issue 7). wrk has
no "each URL once" mode, hence this; the client's own cost is ~1 ms a request.

usage: python3 cold.py HOST:PORT URL_TEMPLATE TILES_FILE [CONCURRENCY] [TOKEN]
URL_TEMPLATE holds {z} {x} {y}; TILES_FILE has lines "z x y".
Prints one RESULT line like the wrk scripts, plus the slowest zoom's median.
"""
import http.client
import queue
import statistics
import sys
import threading
import time

host, template, tiles_file = sys.argv[1], sys.argv[2], sys.argv[3]
conc = int(sys.argv[4]) if len(sys.argv) > 4 else 16
token = sys.argv[5] if len(sys.argv) > 5 else ""
headers = {"Authorization": f"Bearer {token}"} if token else {}
work = queue.Queue()
for line in open(tiles_file):
    z, x, y = line.split()
    work.put((int(z), template.format(z=z, x=x, y=y)))
times, per_zoom, errors, nbytes, lock = [], {}, [0], [0], threading.Lock()


def client():
    h, p = host.split(":")
    c = http.client.HTTPConnection(h, int(p), timeout=300)
    while True:
        try:
            z, path = work.get_nowait()
        except queue.Empty:
            return
        t = time.perf_counter()
        try:
            c.request("GET", path, headers=headers)
            r = c.getresponse()
            body = r.read()
            ok = r.status in (200, 204)
        except Exception:
            c = http.client.HTTPConnection(h, int(p), timeout=300)
            body, ok = b"", False
        dt = (time.perf_counter() - t) * 1000
        with lock:
            times.append(dt)
            per_zoom.setdefault(z, []).append(dt)
            nbytes[0] += len(body)
            errors[0] += 0 if ok else 1


start = time.perf_counter()
threads = [threading.Thread(target=client) for _ in range(conc)]
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - start
q = statistics.quantiles(times, n=100)
print(f"RESULT requests={len(times)} duration_s={wall:.2f} rps={len(times) / wall:.1f} "
      f"p50_ms={q[49]:.2f} p90_ms={q[89]:.2f} p99_ms={q[98]:.2f} errors={errors[0]} bytes={nbytes[0]}")
print("median by zoom (ms): " + " ".join(
    f"z{z}={statistics.median(v):.0f}" for z, v in sorted(per_zoom.items())))
