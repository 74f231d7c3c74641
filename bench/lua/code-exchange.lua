-- POST /oauth2/token with grant_type=authorization_code (RFC 6749 §4.1.3) and the PKCE verifier (RFC 7636 §4.5),
-- client_secret_basic. Each code is exchanged exactly once: BENCH_TOKENS_FILE holds one "code verifier" pair per
-- line, collected by bench/OidcCodes.java right before the run (codes live 5 minutes); thread k of N takes lines
-- k, k + N, k + 2N, …. A thread that has used all its codes stops; wrk still divides by the whole duration, so a
-- run that ran out of codes understates the rate: done() then reports it (codes_exhausted) and bench/run.sh warns.
-- Run with -t N -c N (one connection per thread): request and response strictly alternate.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local lines = nil
local basic = os.getenv("BENCH_CLIENT_BASIC")
local redirect = os.getenv("BENCH_REDIRECT_URI")

local function encode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- The number of wrk threads, from BENCH_THREADS (bench/run.sh sets it to --connections).
function threads_hint()
  return tonumber(os.getenv("BENCH_THREADS")) or 1
end

function setup(thread)
  if lines == nil then lines = read_lines(os.getenv("BENCH_TOKENS_FILE")) end
  local id = register(thread)
  local mine = {}
  for i = id, #lines, threads_hint() do mine[#mine + 1] = lines[i] end
  thread:set("codes", mine)
  thread:set("exhausted", 0)
end

next_code = 1
exhausted = 0

function request()
  local line = codes[next_code]
  if line == nil then
    -- out of codes before the stop took effect: send the last one again (it counts as a non-2xx)
    wrk.thread:stop()
    line = codes[#codes]
  end
  local code, verifier = string.match(line, "^(%S+) (%S+)$")
  return wrk.format("POST", "/oauth2/token", {
    ["Authorization"] = "Basic " .. basic,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "grant_type=authorization_code&code=" .. encode(code) .. "&code_verifier=" .. encode(verifier) ..
    "&redirect_uri=" .. encode(redirect))
end

function response(status, headers, body)
  count(status, body)
  next_code = next_code + 1
  if next_code > #codes then
    exhausted = 1
    wrk.thread:stop()
  end
end

local common_done = done

function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + (t:get("exhausted") or 0) end
  io.write(string.format("CODES_EXHAUSTED %d\n", n))
  common_done(summary, latency, requests)
end
