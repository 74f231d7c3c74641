-- Keycloak's password sign-in: POST <realm>/protocol/openid-connect/token with grant_type=password (RFC 6749 §4.3),
-- the client authenticated with client_secret_basic, for the seeded users round robin as bench/lua/sign-in.lua
-- does for Plinto. BENCH_KC_TOKEN_PATH: the token endpoint's path; BENCH_CLIENT_BASIC: base64("id:secret");
-- BENCH_USERS_FILE: one username (email) per line; BENCH_PASSWORD: their password. Set by bench/keycloak.sh.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

users = nil

local function encode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function setup(thread)
  if users == nil then users = read_lines(os.getenv("BENCH_USERS_FILE")) end
  register(thread)
  thread:set("users", users)
  thread:set("password", encode(os.getenv("BENCH_PASSWORD")))
  thread:set("path", os.getenv("BENCH_KC_TOKEN_PATH"))
  thread:set("basic", os.getenv("BENCH_CLIENT_BASIC"))
end

local n = 0

function request()
  n = n + 1
  local username = users[((id - 1) * 7919 + n) % #users + 1]
  return wrk.format("POST", path, {
    ["Authorization"] = "Basic " .. basic,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "grant_type=password&username=" .. encode(username) .. "&password=" .. password)
end

function response(status, headers, body)
  count(status, body)
end
