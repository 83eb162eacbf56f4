-- wrk's script for `make bench`: each request goes to the next of the targets a file lists
-- (BENCH_TARGETS: a Lua file returning { {path=, cookie=, accept=, encoding=}, ... }; encoding,
-- when given, is sent as Accept-Encoding), so the load is
-- spread over many signed-in staff and their own records; at the end one line of figures.
local targets = dofile(os.getenv("BENCH_TARGETS"))
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
end

function init(args)
  counter = offset or 0
  math.randomseed(counter)
end

-- BENCH_PACE_MS: each client waits about that long (±50 %, so they do not move in step)
-- before its next request, as a person reading the page would; unset, clients never wait.
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "")
if pace then
  function delay()
    return math.random(math.floor(pace / 2), math.floor(pace * 3 / 2))
  end
end

function request()
  counter = counter + 1
  local target = targets[(counter % #targets) + 1]
  local headers = { Cookie = target.cookie, Accept = target.accept }
  if target.encoding then headers["Accept-Encoding"] = target.encoding end
  return wrk.format("GET", target.path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors, summary.requests))
end
