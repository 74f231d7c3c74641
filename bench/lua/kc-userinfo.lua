-- Keycloak's UserInfo endpoint (OpenID Connect Core §5.3): GET <realm>/protocol/openid-connect/userinfo with a
-- valid bearer token (scope openid), one session per thread, the counterpart of bench/lua/me.lua.
-- BENCH_TOKENS_FILE: one access token per line; BENCH_KC_USERINFO_PATH: the endpoint's path.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local tokens = nil

function setup(thread)
  if tokens == nil then tokens = read_lines(os.getenv("BENCH_TOKENS_FILE")) end
  local id = register(thread)
  thread:set("token", tokens[(id - 1) % #tokens + 1])
  thread:set("path", os.getenv("BENCH_KC_USERINFO_PATH"))
end

local req = nil

function request()
  if req == nil then
    req = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
  end
  return req
end

function response(status, headers, body)
  count(status, body)
end
