-- GET /v1/me with a valid bearer token; each thread uses its own session's access token.
-- BENCH_TOKENS_FILE: one access token per line, one per thread.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local tokens = nil

function setup(thread)
  if tokens == nil then tokens = read_lines(os.getenv("BENCH_TOKENS_FILE")) end
  local id = register(thread)
  thread:set("token", tokens[(id - 1) % #tokens + 1])
end

local req = nil

function request()
  if req == nil then
    req = wrk.format("GET", "/v1/me", { ["Authorization"] = "Bearer " .. token })
  end
  return req
end

function response(status, headers, body)
  count(status, body)
end
