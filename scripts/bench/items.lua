-- wrk script: OGC API Features items in a random bbox, limit 100 (BENCHMARKS.md, issue 7).
-- Environment: EXTENT=min_lon,min_lat,max_lon,max_lat  ITEMS=/path/to/items  BOX=degrees
--              TOKEN=bearer token (optional)  SEED=integer
local function split(s)
  local t = {}
  for v in string.gmatch(s, "[^,]+") do t[#t + 1] = tonumber(v) end
  return t
end
local ext = split(os.getenv("EXTENT"))
local items = os.getenv("ITEMS")
local box = tonumber(os.getenv("BOX") or "0.01")
local token = os.getenv("TOKEN")
local seed = tonumber(os.getenv("SEED") or "42")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  math.randomseed(seed * 1000 + (tid or 0))
  if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
  wrk.headers["Accept"] = "application/geo+json"
end

function request()
  local x = ext[1] + math.random() * (ext[3] - ext[1] - box)
  local y = ext[2] + math.random() * (ext[4] - ext[2] - box)
  local path = string.format("%s?bbox=%.6f,%.6f,%.6f,%.6f&limit=100&f=json", items, x, y, x + box, y + box)
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
