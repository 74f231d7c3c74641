-- Keycloak's refresh: POST <realm>/protocol/openid-connect/token with grant_type=refresh_token (RFC 6749 §6),
-- client_secret_basic, each thread rotating its own session as bench/lua/refresh.lua does for Plinto: every request
-- sends the newest refresh token of the thread's session, taken from the previous answer (bench/keycloak.sh turns on
-- the realm's "revoke refresh token" with no reuse, so an old token is refused as Plinto refuses it). Run with
-- -t N -c N. BENCH_TOKENS_FILE: one refresh token per line, one per thread; BENCH_KC_TOKEN_PATH, BENCH_CLIENT_BASIC.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local tokens = nil

function setup(thread)
  if tokens == nil then tokens = read_lines(os.getenv("BENCH_TOKENS_FILE")) end
  local id = register(thread)
  assert(tokens[id], "need one refresh token per thread in BENCH_TOKENS_FILE")
  thread:set("token", tokens[id])
  thread:set("path", os.getenv("BENCH_KC_TOKEN_PATH"))
  thread:set("basic", os.getenv("BENCH_CLIENT_BASIC"))
end

function request()
  -- a refresh token is a JWS (base64url and dots): nothing to percent-encode
  return wrk.format("POST", path, {
    ["Authorization"] = "Basic " .. basic,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, headers, body)
  if count(status, body) then
    local next_token = string.match(body, '"refresh_token"%s*:%s*"([^"]+)"')
    if next_token then token = next_token end
  end
end
