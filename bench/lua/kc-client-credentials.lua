-- Keycloak's client credentials grant: POST <realm>/protocol/openid-connect/token with
-- grant_type=client_credentials (RFC 6749 §4.4), client_secret_basic, for the client bench/keycloak.sh creates with
-- its service account enabled. BENCH_KC_TOKEN_PATH, BENCH_CLIENT_BASIC.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function setup(thread)
  register(thread)
end

local req = nil

function request()
  if req == nil then
    local basic = os.getenv("BENCH_CLIENT_BASIC")
    assert(basic and #basic > 0, "BENCH_CLIENT_BASIC is not set")
    req = wrk.format("POST", os.getenv("BENCH_KC_TOKEN_PATH"), {
      ["Authorization"] = "Basic " .. basic,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "grant_type=client_credentials")
  end
  return req
end

function response(status, headers, body)
  count(status, body)
end
