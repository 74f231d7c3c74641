-- POST /v1/token/refresh, each thread rotating its own session: every request sends the newest refresh token of
-- the thread's session, taken from the previous answer. Run with -t N -c N (one connection per thread) so the
-- requests of a session are strictly sequential. BENCH_TOKENS_FILE: one refresh token per line, one per thread.
-- A failed request keeps the previous token; a timed-out one may have rotated it on the server, after which the
-- old token counts as reuse and the session is revoked (the remaining requests of that thread fail: see non2xx).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local tokens = nil

function setup(thread)
  if tokens == nil then tokens = read_lines(os.getenv("BENCH_TOKENS_FILE")) end
  local id = register(thread)
  assert(tokens[id], "need one refresh token per thread in BENCH_TOKENS_FILE")
  thread:set("token", tokens[id])
end

function request()
  return wrk.format("POST", "/v1/token/refresh", { ["Content-Type"] = "application/json" },
    '{"refresh_token":"' .. token .. '"}')
end

function response(status, headers, body)
  if count(status, body) then
    local next_token = string.match(body, '"refresh_token"%s*:%s*"([^"]+)"')
    if next_token then token = next_token end
  end
end
