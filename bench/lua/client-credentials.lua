-- POST /oauth2/token with grant_type=client_credentials, the client authenticated with client_secret_basic
-- (RFC 6749 §4.4, §2.3.1). Every request gets a new access token for the client registered by bench/run.sh.
-- BENCH_CLIENT_BASIC: the Authorization header's credentials, base64("client_id:client_secret").
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local basic = os.getenv("BENCH_CLIENT_BASIC")

function setup(thread)
  register(thread)
end

local req = nil

function request()
  if req == nil then
    assert(basic and #basic > 0, "BENCH_CLIENT_BASIC is not set")
    req = wrk.format("POST", "/oauth2/token", {
      ["Authorization"] = "Basic " .. basic,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "grant_type=client_credentials&scope=bench.read")
  end
  return req
end

function response(status, headers, body)
  count(status, body)
end
