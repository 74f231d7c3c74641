# Shared by bench/run.sh and bench/keycloak.sh (sourced, not run): starting and stopping a server pinned to one CPU,
# moving PostgreSQL's processes to the load CPU, seeding Plinto's users, and running wrk with the scenarios in
# bench/lua/. The caller sets ROOT, BENCH, WORK, SERVER_CPU, LOAD_CPU, CONNECTIONS and defines die() and log();
# the functions keep their state in the caller's globals (SERVER_PID, SAMPLER_PID, CHILD_PID, PORT, BASE, ...).

stop_server() {
  if [[ -n "$SAMPLER_PID" ]]; then
    kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
  fi
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.3
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

# PostgreSQL on this machine: its processes (new backends inherit the postmaster's affinity) go to the load CPU.
pin_database() {
  [[ "${PLINTO_BENCH_PIN_DB:-auto}" != off ]] || return 0
  local postmaster
  postmaster="$(pgrep -o -x postgres || true)"
  [[ -n "$postmaster" ]] || return 0
  DB_CPU_MASK="$(taskset -p "$postmaster" 2>/dev/null | awk '{print $NF}')" || return 0
  local pid
  for pid in $(pgrep -x postgres); do
    taskset -p -c "$LOAD_CPU" "$pid" >/dev/null 2>&1 || true
  done
  log "PostgreSQL's processes pinned to CPU $LOAD_CPU (given back mask $DB_CPU_MASK at the end)"
}

unpin_database() {
  [[ -n "$DB_CPU_MASK" ]] || return 0
  local pid
  for pid in $(pgrep -x postgres); do
    taskset -p "$DB_CPU_MASK" "$pid" >/dev/null 2>&1 || true
  done
  DB_CPU_MASK=""
}

# Runs a long command in the background and waits for it. A foreground child that handles Ctrl-C itself (wrk, the
# JVM) and exits normally would make bash skip its INT trap; `wait` returns at once on a trapped signal instead,
# and cleanup stops the child. (<&0 keeps the caller's stdin, which bash would replace with /dev/null.)
run_child() {
  "$@" <&0 &
  CHILD_PID=$!
  local rc=0
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}

free_port() {
  if [[ -n "${PLINTO_BENCH_PORT:-}" ]]; then
    echo "$PLINTO_BENCH_PORT"
    return
  fi
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q . || { echo "$port"; return; }
  done
}

now() { date +%s.%N; }

rss_mb() { awk '{ printf "%.1f", $1 / 1024 }' <<<"$(ps -o rss= -p "$1" 2>/dev/null || echo 0)"; }

# CPU time (user + system) of a process in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
CLK_TCK="$(getconf CLK_TCK)"


# Starts bin/plinto pinned to the server CPU with the environment given as NAME=value arguments; waits until
# /health/ready answers 200; sets SERVER_PID, PORT and STARTUP_S (seconds from launch to healthy).
start_server() {
  PORT="$(free_port)"
  local log_file="$WORK/server-$PORT.log"
  local t0
  t0="$(now)"
  env "$@" PLINTO_PORT="$PORT" PLINTO_ISSUER="http://127.0.0.1:$PORT" \
    taskset -c "$SERVER_CPU" "$ROOT/bin/plinto" >"$log_file" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + 180))
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/health/ready"; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      tail -n 30 "$log_file" >&2
      SERVER_PID=""
      die "the server exited before it was ready (log above)"
    fi
    [[ $SECONDS -lt $deadline ]] || { tail -n 30 "$log_file" >&2; die "the server was not ready within 180 s"; }
    sleep "${READY_POLL:-0.02}"
  done
  STARTUP_S="$(echo "$(now) - $t0" | bc -l | awk '{ printf "%.2f", $1 }')"
  SERVER_LOG="$log_file"
}

# Samples the server's RSS every second into a file until killed.
start_sampler() {
  local file="$1"
  : >"$file"
  (
    while kill -0 "$SERVER_PID" 2>/dev/null; do
      ps -o rss= -p "$SERVER_PID" >>"$file" 2>/dev/null || true
      sleep 1
    done
  ) &
  SAMPLER_PID=$!
}

stop_sampler() {
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=""
}

BASE=""

# POSTs JSON and prints the response body; fails on a non-2xx answer.
post_json() {
  curl -fsS -X POST -H 'Content-Type: application/json' --data "$2" "$BASE$1"
}

# Signs in N times (users round robin) and writes one field of each token response per line to a file.
sign_in_tokens() {
  local n="$1" field="$2" file="$3"
  : >"$file"
  local i email
  for ((i = 0; i < n; i++)); do
    email="$(sed -n "$((i % USERS + 1))p" "$WORK/users.txt")"
    post_json /v1/sign-in "$(jq -cn --arg e "$email" --arg p "$PASSWORD" '{email: $e, password: $p}')" \
      | jq -er ".$field" >>"$file"
  done
}

# Runs wrk pinned to the load CPU and sets WRK_RESULT to its JSON result. Arguments: scenario, seconds, tokens file.
run_wrk() {
  local script="$1" seconds="$2" tokens="${3:-}"
  local out="$WORK/wrk-$script.out"
  BENCH_LUA_DIR="$BENCH/lua" BENCH_USERS_FILE="$WORK/users.txt" BENCH_PASSWORD="$PASSWORD" \
    BENCH_TOKENS_FILE="$tokens" BENCH_THREADS="$CONNECTIONS" BENCH_CLIENT_BASIC="${CLIENT_BASIC:-}" \
    BENCH_REDIRECT_URI="${REDIRECT_URI:-}" \
    run_child taskset -c "$LOAD_CPU" wrk -t "$CONNECTIONS" -c "$CONNECTIONS" -d "${seconds}s" --timeout 10s \
    -s "$BENCH/lua/$script.lua" "$BASE" >"$out" 2>&1 || {
      cat "$out" >&2
      die "wrk failed for $script"
    }
  WRK_RESULT="$(grep '^WRK_RESULT ' "$out" | sed 's/^WRK_RESULT //')"
  CODES_EXHAUSTED="$(sed -n 's/^CODES_EXHAUSTED //p' "$out")"
  [[ -n "$WRK_RESULT" ]] || { cat "$out" >&2; die "wrk printed no result for $script"; }
}

# Builds target/plinto.jar with the benchmark's JDK when it is missing or built on another JDK, and prepares
# the AOT cache; sets AOT_USED. Needs JAVA, JAVA_VERSION.
prepare_plinto() {
  # The jar is built with the benchmark's JDK: Spring AOT mode (docs/benchmarks.md) applies only to a jar built on the
  # JDK that runs it, as in the container image.
  JAVA_FEATURE="${JAVA_VERSION%%[.+-]*}"
  BUILT_ON="$(sed -n 's/^java.specification.version=//p' target/classes/META-INF/plinto-build.properties 2>/dev/null || true)"
  if [[ ! -f target/plinto.jar || "$BUILT_ON" != "$JAVA_FEATURE" ]]; then
    log "building target/plinto.jar with $JAVA"
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA")")")" ./mvnw -q -B -DskipTests package
  fi
  # The AOT cache (JDK 25+) is trained once, outside any measurement (unless PLINTO_AOT=off).
  AOT_USED=false
  if [[ "${PLINTO_AOT:-auto}" != "off" ]]; then
    aot_prepare_out="$(PLINTO_AOT=prepare "$ROOT/bin/plinto" 2>&1)" || {
      echo "$aot_prepare_out" >&2
      die "bin/plinto could not prepare the AOT cache"
    }
    if [[ "$aot_prepare_out" == *"AOT cache ready"* ]]; then
      AOT_USED=true
    fi
  fi
}

# Sets SERVER_ENV (Plinto's environment for the load scenarios) for the database URL $1, and PASSWORD, the
# password of the seeded users. Uses ALG; PLINTO_ARGON2_* pass through from the caller's environment.
plinto_server_env() {
  MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
  PASSWORD="bench-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  SERVER_ENV=(
    PLINTO_DATABASE_URL="$1"
    PLINTO_MASTER_KEY="$MASTER_KEY"
    PLINTO_SIGNING_ALG="$ALG"
    PLINTO_DATA_DIR="$WORK/pg-data"
    # The load comes from one IP and hits the same accounts: lift the per-IP limits and the lockout.
    PLINTO_RATE_LIMIT_SIGN_IN=1000000000/1s
    PLINTO_RATE_LIMIT_SIGN_UP=1000000000/1s
    PLINTO_RATE_LIMIT_REFRESH=1000000000/1s
    PLINTO_RATE_LIMIT_PASSWORD_RESET=1000000000/1s
    PLINTO_RATE_LIMIT_VERIFICATION_MAIL=1000000000/1s
    PLINTO_LOCKOUT_THRESHOLD=1000000
    # Access tokens must stay valid through the whole run (default 10m).
    PLINTO_ACCESS_TOKEN_TTL=6h
    # So must the code collector's session cookie (default 60s): its parallel requests would otherwise renew it
    # together from one refresh cookie, which reuse detection answers by ending the session.
    PLINTO_SESSION_COOKIE_TTL=6h
  )
}

# Writes USERS email addresses to $WORK/users.txt and signs them up at $BASE with $PASSWORD.
seed_plinto_users() {
  log "seeding $USERS users"
  : >"$WORK/users.txt"
  for ((i = 1; i <= USERS; i++)); do
    echo "bench-$i-$$@bench.plinto.test" >>"$WORK/users.txt"
  done
  # Two at a time: sign-up costs an Argon2id hash on the server's single CPU.
  export BASE PASSWORD
  run_child xargs -P 2 -I{} sh -c 'curl -fsS -o /dev/null -X POST -H "Content-Type: application/json" \
    --data "{\"email\":\"{}\",\"password\":\"$PASSWORD\"}" "$BASE/v1/sign-up" || echo "sign-up failed: {}" >&2' \
    <"$WORK/users.txt" 2>"$WORK/seed-errors.txt"
  [[ ! -s "$WORK/seed-errors.txt" ]] || { cat "$WORK/seed-errors.txt" >&2; die "seeding failed"; }
}

# Registers an OpenID provider client with the jar's own command (on the load CPU, against the database in
# SERVER_ENV); the arguments go to `plinto clients create`. Sets CLIENT_ID and CLIENT_SECRET.
register_client() {
  local out
  out="$(env "${SERVER_ENV[@]}" PLINTO_PORT="$PORT" PLINTO_ISSUER="$BASE" PLINTO_AOT=off \
    taskset -c "$LOAD_CPU" "$ROOT/bin/plinto" clients create "$@" 2>&1)" || { echo "$out" >&2; die "clients create failed"; }
  CLIENT_ID="$(grep -o -m 1 '^cli_[A-Za-z0-9]*' <<<"$out")" || die "no client id in: $out"
  CLIENT_SECRET="$(sed -n 's/^Client secret .*: //p' <<<"$out")"
  [[ -n "$CLIENT_SECRET" ]] || die "no client secret in: $out"
}
