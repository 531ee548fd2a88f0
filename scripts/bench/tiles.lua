-- wrk script: vector tiles from a list of "z x y" lines (BENCHMARKS.md, issue 7).
-- Environment: TILES=file  URL=template with {z} {x} {y}  TOKEN=bearer token (optional)
--   GZIP=1: send Accept-Encoding: gzip, as browsers always do
-- The threads cycle through the list (warm cache); the cold pass is scripts/bench/cold.py.
local file = os.getenv("TILES")
local template = os.getenv("URL")
local token = os.getenv("TOKEN")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  nthreads = tonumber(args[1] or "1")
  paths = {}
  local i = 0
  for line in io.lines(file) do
    i = i + 1
    if (i - 1) % nthreads == tid - 1 then
      local z, x, y = string.match(line, "(%d+) (%d+) (%d+)")
      local p = template:gsub("{z}", z):gsub("{x}", x):gsub("{y}", y)
      paths[#paths + 1] = p
    end
  end
  next_i = 0
  if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
  if os.getenv("GZIP") == "1" then
    wrk.headers["Accept-Encoding"] = "gzip"
  end
end

function request()
  next_i = next_i + 1
  if next_i > #paths then
    next_i = 1
  end
  return wrk.format("GET", paths[next_i])
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d bytes=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.bytes))
end
