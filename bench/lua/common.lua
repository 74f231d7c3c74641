-- Shared by the wrk scenarios: counts non-2xx answers per thread and prints one machine-readable result line.
-- Loaded with dofile() from each scenario; BENCH_LUA_DIR is set by bench/run.sh.

threads = {}
thread_count = 0

-- Reads a file into a list of non-empty lines (runs in wrk's main Lua state, from setup()).
function read_lines(path)
  local lines = {}
  local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in f:lines() do
    if #line > 0 then lines[#lines + 1] = line end
  end
  f:close()
  return lines
end

-- Called from each scenario's setup(): remembers the thread and gives it an id from 1 to N.
function register(thread)
  thread_count = thread_count + 1
  thread:set("id", thread_count)
  thread:set("non2xx", 0)
  thread:set("first_error", "")
  table.insert(threads, thread)
  return thread_count
end

-- Per-thread state (each wrk thread runs its own copy of the script).
non2xx = 0
first_error = ""

-- Records an answer; returns true when it is a 2xx.
function count(status, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_error == "" then
      first_error = tostring(status) .. " " .. string.sub(body or "", 1, 300)
    end
    return false
  end
  return true
end

local function json_string(s)
  s = string.gsub(s, '[%c"\\]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    return string.format("\\u%04x", string.byte(c))
  end)
  return '"' .. s .. '"'
end

function done(summary, latency, requests)
  local non2xx_total = 0
  local sample = ""
  for _, t in ipairs(threads) do
    non2xx_total = non2xx_total + (t:get("non2xx") or 0)
    local e = t:get("first_error") or ""
    if sample == "" and e ~= "" then sample = e end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,' ..
    '"max_ms":%.3f,"mean_ms":%.3f,"non2xx":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,' ..
    '"errors_timeout":%d,"first_error":%s}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000, non2xx_total,
    e.connect, e.read, e.write, e.timeout, json_string(sample)))
end
