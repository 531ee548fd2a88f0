-- wrk script of scripts/load: mixed reads and writes by several users.
-- Per request: 45 % parcel list in a bbox, 20 % one parcel, 20 % its history, 15 % a new parcel
-- (POST, each with its own 宗地代码 and rectangle). Each wrk thread signs in with its own token.
-- Environment: LOAD_TOKENS (file, one token a line), LOAD_IDS (file, one parcel id a line).

local tokens, ids = {}, {}
local counter, threads = 0, {}

local function lines(path)
  local t = {}
  for l in io.lines(path) do if #l > 0 then t[#t + 1] = l end end
  return t
end

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  threads[#threads + 1] = thread
end

function init(args)
  tokens = lines(os.getenv("LOAD_TOKENS"))
  ids = lines(os.getenv("LOAD_IDS"))
  token = tokens[(tid - 1) % #tokens + 1]
  seq, statuses = 0, {}
  math.randomseed(tid * 7919)
end

function request()
  local r = math.random(100)
  local h = { ["Authorization"] = "Bearer " .. token }
  if r <= 45 then
    local x = 113.70 + math.random() * 0.25
    local y = 33.95 + math.random() * 0.20
    return wrk.format("GET", string.format("/api/parcels?bbox=%.4f,%.4f,%.4f,%.4f&limit=50", x, y, x + 0.02, y + 0.02), h)
  elseif r <= 65 then
    return wrk.format("GET", "/api/parcels/" .. ids[math.random(#ids)], h)
  elseif r <= 85 then
    return wrk.format("GET", "/api/parcels/" .. ids[math.random(#ids)] .. "/history", h)
  else
    seq = seq + 1
    local n = tid * 20000 + seq
    local x = 114.30 + (n % 400) * 0.0005
    local y = 34.40 + math.floor(n / 400) * 0.0005
    h["Content-Type"] = "application/geo+json"
    local body = string.format([==[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]},"properties":{"code":"4110020019%02dGB%05d","name":"压测%d","jurisdiction":"411002","park_id":"weidu","land_use_code":"100101","status":"approved_unsupplied","registered_area_mu":"2.5"},"change":{"reason":"load test"}}]==],
      x, y, x + 0.0004, y, x + 0.0004, y + 0.0003, x, y + 0.0003, x, y, 80 + tid, seq, n)
    return wrk.format("POST", "/api/parcels", h, body)
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do all[k] = (all[k] or 0) + v end
  end
  io.write("statuses:")
  for k, v in pairs(all) do io.write(string.format(" %d=%d", k, v)) end
  io.write("\n")
  io.write(string.format("requests %d in %.1f s: %.1f req/s; errors: connect %d, read %d, write %d, timeout %d, status %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status))
  io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
