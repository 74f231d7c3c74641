-- POST /v1/sign-in for the seeded users, round robin; each thread starts at its own offset.
-- BENCH_USERS_FILE: one email per line; BENCH_PASSWORD: their password.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

-- Globals: `users`, `password` and `id` are copied into each thread's state by setup().
users = nil

function setup(thread)
  if users == nil then users = read_lines(os.getenv("BENCH_USERS_FILE")) end
  register(thread)
  thread:set("users", users)
  thread:set("password", os.getenv("BENCH_PASSWORD"))
end

local n = 0

function request()
  n = n + 1
  local email = users[((id - 1) * 7919 + n) % #users + 1]
  local body = '{"email":"' .. email .. '","password":"' .. password .. '"}'
  return wrk.format("POST", "/v1/sign-in", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  count(status, body)
end
