#!/usr/bin/env bash
# Plinto and Keycloak side by side (docs/benchmarks.md, "Side by side with Keycloak").
#
# Downloads Keycloak's distribution once (org.keycloak:keycloak-quarkus-dist from Maven Central) into a cache
# directory, builds it for PostgreSQL, and sets up both servers on the same PostgreSQL, each with its own fresh
# database: the same users with the same password, hashed with Argon2id at the same parameters on both (default
# Keycloak's own, t=5, m=7168 KiB, p=1), a confidential client for Keycloak's password, refresh and client
# credentials grants and a client-credentials client for Plinto, and the same signing algorithm. Then it runs
# rounds that alternate the two servers (round 1 Plinto first, round 2 Keycloak first, ...). In a round each server
# is restarted (restart to ready measured), left idle (idle resident memory measured), then gets each scenario:
# warm-up, then measured load with wrk. The server runs alone on CPU 0, started with its own launcher (bin/plinto,
# bin/kc.sh) under taskset; wrk and PostgreSQL run on CPU 1. The other server is stopped meanwhile.
#
#   scenario             Plinto                                  Keycloak
#   sign-in              POST /v1/sign-in                        token endpoint, grant_type=password
#   refresh              POST /v1/token/refresh (rotating)       token endpoint, grant_type=refresh_token (rotating)
#   client-credentials   POST /oauth2/token, client_credentials  token endpoint, grant_type=client_credentials
#   me                   GET /v1/me                              GET .../userinfo
#
# Prints per scenario the median of the rounds for each server, the ratio Plinto / Keycloak, the target and whether
# it is met; also idle memory, restart to ready, and sign-in against the raw Argon2id rate (bench/RawLimits.java on
# CPU 0 at the same parameters, measured before and after the rounds).
#
#   bench/keycloak.sh [options]
#     -d, --duration SECONDS     measured load per scenario and server (default 30)
#     -w, --warmup SECONDS       unmeasured load before each scenario, for both servers (default 60)
#     --sign-in-warmup SECONDS   the same before sign-in (default 240)
#     -r, --rounds N             rounds, each server once per round (default 3)
#     -c, --connections N        concurrent connections = wrk threads (default 8)
#     -a, --alg ALG              signing algorithm of both servers: RS256 (default) or ES256
#     -s, --scenarios LIST       comma-separated: sign-in,refresh,client-credentials,me (default all)
#     -u, --users N              users seeded on both (default 100)
#     --argon2 T,M,P             Argon2id iterations, memory in KiB and lanes on both (default 5,7168,1)
#     --idle-wait SECONDS        wait after ready before the idle memory is read (default 10)
#     --raw-seconds SECONDS      measuring time of the raw Argon2id rate (default 10; 0 skips it)
#     -j, --java-home DIR        the JDK running both servers (default $JAVA_HOME; Keycloak 26 needs 21 or later)
#     --keycloak-version V       default 26.7.3
#     -o, --json                 also append one JSON object per result to bench/results/keycloak-<timestamp>.jsonl
#     -h, --help
#   Environment: PLINTO_BENCH_PG (default postgresql://postgres@127.0.0.1:5432) is the PostgreSQL server; the
#   databases plinto_bench_<pid> and keycloak_bench_<pid> (PLINTO_BENCH_DB_NAME, KEYCLOAK_BENCH_DB_NAME) are
#   created there and dropped at the end. PLINTO_BENCH_PORT, KEYCLOAK_BENCH_PORT and KEYCLOAK_BENCH_MANAGEMENT_PORT
#   fix the ports (default: free ones). PLINTO_BENCH_CACHE (default ~/.cache/plinto-bench) holds Keycloak's
#   distribution. PLINTO_BENCH_PIN_DB=off leaves PostgreSQL's processes where they are.
#
# Needs what bench/run.sh needs (Linux, 2 or more CPUs, curl, jq, wrk, taskset, psql), plus Maven (mvn, or the
# project's ./mvnw) and network access to Maven Central for the first download, unzip, bc, and about 360 MB of disk
# in the cache (plus the zip in Maven's local repository). Stops the servers and drops both databases on exit, including Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"

DURATION=30
WARMUP=60
SIGN_IN_WARMUP=240
ROUNDS=3
CONNECTIONS=8
ALG=RS256
SCENARIOS="sign-in,refresh,client-credentials,me"
USERS=100
ARGON2="5,7168,1"
IDLE_WAIT=10
RAW_SECONDS=10
JDK="${JAVA_HOME:-}"
KC_VERSION=26.7.3
JSON=false
PG_BASE="${PLINTO_BENCH_PG:-postgresql://postgres@127.0.0.1:5432}"
CACHE="${PLINTO_BENCH_CACHE:-$HOME/.cache/plinto-bench}"
SERVER_CPU=0
LOAD_CPU=1
REALM=bench

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    -d|--duration) DURATION="$2"; shift 2 ;;
    -w|--warmup) WARMUP="$2"; shift 2 ;;
    --sign-in-warmup) SIGN_IN_WARMUP="$2"; shift 2 ;;
    -r|--rounds) ROUNDS="$2"; shift 2 ;;
    -c|--connections) CONNECTIONS="$2"; shift 2 ;;
    -a|--alg) ALG="$2"; shift 2 ;;
    -s|--scenarios) SCENARIOS="$2"; shift 2 ;;
    -u|--users) USERS="$2"; shift 2 ;;
    --argon2) ARGON2="$2"; shift 2 ;;
    --idle-wait) IDLE_WAIT="$2"; shift 2 ;;
    --raw-seconds) RAW_SECONDS="$2"; shift 2 ;;
    -j|--java-home) JDK="$2"; shift 2 ;;
    --keycloak-version) KC_VERSION="$2"; shift 2 ;;
    -o|--json) JSON=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/keycloak.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "bench/keycloak.sh: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"

for n in "$DURATION" "$WARMUP" "$SIGN_IN_WARMUP" "$ROUNDS" "$CONNECTIONS" "$USERS" "$IDLE_WAIT" "$RAW_SECONDS"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "durations and counts must be whole numbers, not '$n'"
done
[[ "$CONNECTIONS" -ge 1 && "$DURATION" -ge 1 && "$ROUNDS" -ge 1 && "$USERS" -ge 1 ]] \
  || die "need at least 1 connection, 1 second, 1 round and 1 user"
case "$ALG" in RS256|ES256) ;; *) die "--alg must be RS256 or ES256, not '$ALG'" ;; esac
[[ "$ARGON2" =~ ^([0-9]+),([0-9]+),([0-9]+)$ ]] || die "--argon2 must be T,M,P (iterations, KiB, lanes), not '$ARGON2'"
ARGON2_T="${BASH_REMATCH[1]}"
ARGON2_M="${BASH_REMATCH[2]}"
ARGON2_P="${BASH_REMATCH[3]}"
[[ "$KC_VERSION" =~ ^[0-9A-Za-z.-]+$ ]] || die "bad --keycloak-version '$KC_VERSION'"
IFS=',' read -r -a SCENARIO_LIST <<<"$SCENARIOS"
for s in "${SCENARIO_LIST[@]}"; do
  case "$s" in
    sign-in|refresh|client-credentials|me) ;;
    *) die "unknown scenario '$s' (sign-in, refresh, client-credentials, me)" ;;
  esac
done
wants() { [[ ",$SCENARIOS," == *",$1,"* ]]; }

if [[ -n "$JDK" ]]; then
  export JAVA_HOME="$JDK"
  JAVA="$JDK/bin/java"
else
  JAVA="$(command -v java || true)"
  [[ -z "$JAVA" ]] || export JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA")")")"
fi
[[ -n "$JAVA" && -x "$JAVA" ]] || die "no java: pass --java-home or set JAVA_HOME"
JAVA_VERSION="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ { print $2; exit }')"
JAVA_VENDOR="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vendor = / { print $2; exit }')"
[[ "${JAVA_VERSION%%[.+-]*}" -ge 21 ]] || die "Keycloak $KC_VERSION needs JDK 21 or later; this is $JAVA_VERSION"

for tool in curl jq wrk taskset psql unzip bc; do
  command -v "$tool" >/dev/null || die "missing $tool (bench/run.sh installs curl, jq, wrk, taskset and psql)"
done
[[ "$(nproc --all)" -ge 2 ]] || die "needs at least 2 CPUs (server on CPU $SERVER_CPU, load on CPU $LOAD_CPU)"
# This script and everything it starts run on the load CPU (curl, jq, psql, the readiness polls); only the servers
# and the raw rate are started on the server CPU, explicitly.
taskset -p -c "$LOAD_CPU" $$ >/dev/null || die "cannot pin the runner to CPU $LOAD_CPU"
# Both servers' readiness is polled every 0.1 s (Keycloak logs every "down" answer while it starts).
READY_POLL=0.1

# --- state and cleanup ------------------------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/plinto-keycloak-bench.XXXXXX")"
SERVER_PID=""
SAMPLER_PID=""
CHILD_PID=""
DB_CPU_MASK=""
DATABASES=()
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS_FILE=""
if $JSON; then
  mkdir -p "$BENCH/results"
  RESULTS_FILE="$BENCH/results/keycloak-$STAMP.jsonl"
fi

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$CHILD_PID" ]]; then
    kill -TERM "$CHILD_PID" 2>/dev/null || true
    wait "$CHILD_PID" 2>/dev/null || true
  fi
  stop_servers
  unpin_database
  local db
  for db in "${DATABASES[@]}"; do
    psql "$PG_BASE/postgres" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 \
      || echo "bench/keycloak.sh: could not drop database $db" >&3
  done
  rm -rf "$WORK"
  exit "$rc"
}
exec 3>&2
trap cleanup EXIT
trap 'echo "bench/keycloak.sh: interrupted; stopping the server and dropping the databases" >&3; exit 130' INT TERM

# Stops the running server; if kc.sh did not pass SIGTERM on in time, its JVM as well.
JVM_PID=""
stop_servers() {
  stop_server
  if [[ -n "$JVM_PID" ]] && kill -0 "$JVM_PID" 2>/dev/null; then
    kill -KILL "$JVM_PID" 2>/dev/null || true
  fi
  JVM_PID=""
}

create_database() {
  psql "$PG_BASE/postgres" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $1" >/dev/null \
    || die "cannot create database $1 on $PG_BASE (set PLINTO_BENCH_PG)"
  DATABASES+=("$1")
}

record() {
  local line
  line="$(jq -cn "$@" | jq -c --arg run "$STAMP" --arg java "$JAVA_VERSION" --arg java_vendor "$JAVA_VENDOR" \
    --arg alg "$ALG" --arg kc "$KC_VERSION" --arg argon2 "t=$ARGON2_T,m=$ARGON2_M,p=$ARGON2_P" \
    --argjson connections "$CONNECTIONS" --argjson duration "$DURATION" --argjson warmup "$WARMUP" \
    --argjson sign_in_warmup "$SIGN_IN_WARMUP" --argjson users "$USERS" --arg cpu_model "${CPU_MODEL:-unknown}" --argjson cpus "$(nproc --all)" --arg kernel "$(uname -r)" \
    '{run: $run} + . + {java: $java, java_vendor: $java_vendor, alg: $alg, keycloak: $kc, argon2: $argon2,
      connections: $connections, users: $users,
      settings: {duration_s: $duration, warmup_s: $warmup, sign_in_warmup_s: $sign_in_warmup},
      host: {cpu_model: $cpu_model, cpus: $cpus, kernel: $kernel}}')"
  echo "$line" >>"$WORK/results.jsonl"
  [[ -z "$RESULTS_FILE" ]] || echo "$line" >>"$RESULTS_FILE"
}
CPU_MODEL="$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')"

pick_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q . || { echo "$port"; return; }
  done
}

# --- Keycloak: download once, build for PostgreSQL ----------------------------------------------------------------
KC_HOME="$CACHE/keycloak-$KC_VERSION"
if [[ ! -x "$KC_HOME/bin/kc.sh" ]]; then
  mkdir -p "$CACHE"
  zip="$CACHE/keycloak-quarkus-dist-$KC_VERSION.zip"
  if [[ ! -s "$zip" ]]; then
    log "downloading org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip from Maven Central into $CACHE"
    mvn_cmd="$(command -v mvn || echo "$ROOT/mvnw")"
    "$mvn_cmd" -q -B dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
      -DoutputDirectory="$CACHE" -Dtransitive=false >&2 || die "could not download Keycloak $KC_VERSION"
  fi
  rm -rf "$KC_HOME.tmp"
  mkdir -p "$KC_HOME.tmp"
  unzip -q "$zip" -d "$KC_HOME.tmp"
  mv "$KC_HOME.tmp/keycloak-$KC_VERSION" "$KC_HOME"
  rm -rf "$KC_HOME.tmp"
fi
# Build-time options (Quarkus bakes them into the distribution); rebuilt when they change. One node: the local
# caches (Keycloak's setting for a single instance) instead of the default clustered ones, which would run JGroups
# discovery and encryption for a cluster of one.
KC_BUILD_OPTIONS=(--db=postgres --health-enabled=true --cache=local)
if [[ "$(cat "$KC_HOME/.plinto-bench-build" 2>/dev/null || true)" != "${KC_BUILD_OPTIONS[*]} $JAVA_VERSION" ]]; then
  log "building Keycloak $KC_VERSION: kc.sh build ${KC_BUILD_OPTIONS[*]}"
  "$KC_HOME/bin/kc.sh" build "${KC_BUILD_OPTIONS[@]}" >"$WORK/kc-build.log" 2>&1 \
    || { tail -n 30 "$WORK/kc-build.log" >&2; die "kc.sh build failed"; }
  echo "${KC_BUILD_OPTIONS[*]} $JAVA_VERSION" >"$KC_HOME/.plinto-bench-build"
fi

# --- Plinto: jar and AOT cache, as bench/run.sh --------------------------------------------------------------------
cd "$ROOT"
prepare_plinto
log "JDK: $JAVA_VENDOR $JAVA_VERSION; Keycloak $KC_VERSION; signing $ALG; Argon2id t=$ARGON2_T m=$ARGON2_M KiB" \
  "p=$ARGON2_P; server on CPU $SERVER_CPU, wrk and PostgreSQL on CPU $LOAD_CPU"

# --- raw Argon2id rate on the server CPU --------------------------------------------------------------------------
export PLINTO_ARGON2_ITERATIONS="$ARGON2_T" PLINTO_ARGON2_MEMORY_KIB="$ARGON2_M" PLINTO_ARGON2_PARALLELISM="$ARGON2_P"
RAW_BEFORE=null
RAW_AFTER=null
if [[ "$RAW_SECONDS" -gt 0 ]]; then
  mkdir -p target/bench
  if [[ ! -s target/bench/classpath.txt || pom.xml -nt target/bench/classpath.txt ]]; then
    ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt >/dev/null \
      2>"$WORK/classpath.log" || { cat "$WORK/classpath.log" >&2; die "mvnw dependency:build-classpath failed"; }
  fi
  CP="$ROOT/target/classes:$(cat target/bench/classpath.txt)"
  "$(dirname "$JAVA")/javac" --release 17 -nowarn -cp "$CP" -d "$WORK/raw-classes" bench/RawLimits.java
  mapfile -t RAW_JVM_OPTS < <(PLINTO_PRINT_JVM_OPTIONS=1 "$ROOT/bin/plinto")
fi
# Prints Argon2id verifications/s at the configured parameters, one thread on the server CPU, bin/plinto's JVM options.
raw_argon2() {
  run_child taskset -c "$SERVER_CPU" "$JAVA" "${RAW_JVM_OPTS[@]}" -cp "$WORK/raw-classes:$CP" RawLimits \
    --only argon2 --seconds "$RAW_SECONDS" --warmup 3 >"$WORK/raw.txt"
  sed -n 's/^argon2id_verify_per_s=//p' "$WORK/raw.txt"
}
if [[ "$RAW_SECONDS" -gt 0 ]]; then
  log "raw Argon2id verifications on CPU $SERVER_CPU (${RAW_SECONDS} s)"
  RAW_BEFORE="$(raw_argon2)"
  [[ -n "$RAW_BEFORE" ]] || die "RawLimits printed no argon2id_verify_per_s"
  log "raw Argon2id: $RAW_BEFORE verifications/s"
  record --argjson v "$RAW_BEFORE" '{scenario: "raw_argon2id_verify", when: "before", per_s: $v}'
fi

# --- databases, pinning -------------------------------------------------------------------------------------------
PL_DB="${PLINTO_BENCH_DB_NAME:-plinto_bench_$$}"
KC_DB="${KEYCLOAK_BENCH_DB_NAME:-keycloak_bench_$$}"
create_database "$PL_DB"
create_database "$KC_DB"
pin_database

# --- Plinto: start once, seed users and the client-credentials client ---------------------------------------------
plinto_server_env "$PG_BASE/$PL_DB"
SERVER_ENV+=(PLINTO_ARGON2_ITERATIONS="$ARGON2_T" PLINTO_ARGON2_MEMORY_KIB="$ARGON2_M"
  PLINTO_ARGON2_PARALLELISM="$ARGON2_P")
PL_PORT_FIXED="${PLINTO_BENCH_PORT:-$(pick_port)}"
export PLINTO_BENCH_PORT="$PL_PORT_FIXED"
log "starting Plinto on database $PL_DB"
start_server "${SERVER_ENV[@]}"
BASE="http://127.0.0.1:$PORT"
PL_BASE="$BASE"
seed_plinto_users
if wants client-credentials; then
  register_client --name "Bench client credentials" --grants client_credentials --scopes bench.read
  PL_CC_BASIC="$(printf '%s:%s' "$CLIENT_ID" "$CLIENT_SECRET" | base64 -w 0)"
fi
stop_servers

# --- Keycloak: start, realm, users, client --------------------------------------------------------------------------
KC_PORT="${KEYCLOAK_BENCH_PORT:-$(pick_port)}"
KC_MGMT_PORT="${KEYCLOAK_BENCH_MANAGEMENT_PORT:-$(pick_port)}"
KC_BASE="http://127.0.0.1:$KC_PORT"
KC_ADMIN_PASSWORD="admin-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
KC_SECRET="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
# postgresql://user[:password]@host:port -> JDBC URL, user, password
pg_rest="${PG_BASE#postgresql://}"
pg_rest="${pg_rest#postgres://}"
pg_cred="${pg_rest%%@*}"
pg_host="${pg_rest#*@}"
[[ "$pg_rest" == *@* ]] || { pg_cred="postgres"; pg_host="$pg_rest"; }
KC_DB_USER="${pg_cred%%:*}"
KC_DB_PASSWORD=""
[[ "$pg_cred" != *:* ]] || KC_DB_PASSWORD="${pg_cred#*:}"
KC_START_OPTIONS=(start --optimized
  --http-enabled=true --http-host=127.0.0.1 --http-port="$KC_PORT" --http-management-port="$KC_MGMT_PORT"
  --hostname-strict=false
  --db-url="jdbc:postgresql://${pg_host%%/*}/$KC_DB" --db-username="$KC_DB_USER" --db-password="$KC_DB_PASSWORD"
  # Keycloak's Argon2id provider (org.keycloak.crypto.hash.Argon2PasswordHashProviderFactory); the realm's password
  # policy selects it and sets the same iterations.
  --spi-password-hashing--argon2--iterations="$ARGON2_T" --spi-password-hashing--argon2--memory="$ARGON2_M"
  --spi-password-hashing--argon2--parallelism="$ARGON2_P")

# Starts Keycloak with its own launcher pinned to the server CPU; waits for /health/ready on the management port.
# Sets SERVER_PID (kc.sh, which runs the JVM as its child and forwards SIGTERM to it), STARTUP_S and SERVER_LOG.
start_keycloak() {
  local log_file="$WORK/keycloak-$((++KC_STARTS)).log" t0
  t0="$(now)"
  env KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
    taskset -c "$SERVER_CPU" "$KC_HOME/bin/kc.sh" "${KC_START_OPTIONS[@]}" >"$log_file" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + 900))
  until curl -fs -o /dev/null "http://127.0.0.1:$KC_MGMT_PORT/health/ready"; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      tail -n 30 "$log_file" >&2
      SERVER_PID=""
      die "Keycloak exited before it was ready (log above)"
    fi
    [[ $SECONDS -lt $deadline ]] || { tail -n 30 "$log_file" >&2; die "Keycloak was not ready within 900 s"; }
    sleep "$READY_POLL"
  done
  STARTUP_S="$(echo "$(now) - $t0" | bc -l | awk '{ printf "%.2f", $1 }')"
  SERVER_LOG="$log_file"
  JVM_PID="$(pgrep -P "$SERVER_PID" -f QuarkusEntryPoint | head -n 1)"
  [[ -n "$JVM_PID" ]] || die "cannot find Keycloak's JVM under kc.sh (pid $SERVER_PID)"
}
KC_STARTS=0

KC_TOKEN=""
kc_admin() {
  local method="$1" path="$2" body="${3:-}"
  local args=(-fsS -X "$method" -H "Authorization: Bearer $KC_TOKEN")
  [[ -z "$body" ]] || args+=(-H 'Content-Type: application/json' --data "$body")
  curl "${args[@]}" "$KC_BASE/admin$path"
}

log "starting Keycloak $KC_VERSION on database $KC_DB (first start creates its schema)"
start_keycloak
log "Keycloak ready after $STARTUP_S s; setting up realm '$REALM'"
KC_TOKEN="$(curl -fsS --data-urlencode grant_type=password --data-urlencode client_id=admin-cli \
  --data-urlencode username=admin --data-urlencode "password=$KC_ADMIN_PASSWORD" \
  "$KC_BASE/realms/master/protocol/openid-connect/token" | jq -er .access_token)" || die "no Keycloak admin token"
# The admin token lives 60 s by default; seeding takes longer on one CPU.
kc_admin PUT /realms/master '{"accessTokenLifespan": 3600}'
KC_TOKEN="$(curl -fsS --data-urlencode grant_type=password --data-urlencode client_id=admin-cli \
  --data-urlencode username=admin --data-urlencode "password=$KC_ADMIN_PASSWORD" \
  "$KC_BASE/realms/master/protocol/openid-connect/token" | jq -er .access_token)" || die "no Keycloak admin token"
# Rotation as in Plinto: every refresh returns a new refresh token and the old one is refused (revokeRefreshToken,
# no reuse). Tokens and sessions outlast the run, as PLINTO_ACCESS_TOKEN_TTL=6h does for Plinto.
kc_admin POST /realms "$(jq -cn --arg realm "$REALM" --arg alg "$ALG" --argjson t "$ARGON2_T" '{
  id: $realm, realm: $realm, enabled: true,
  passwordPolicy: "hashAlgorithm(argon2) and hashIterations(\($t))",
  defaultSignatureAlgorithm: $alg,
  revokeRefreshToken: true, refreshTokenMaxReuse: 0,
  accessTokenLifespan: 21600, ssoSessionIdleTimeout: 21600, ssoSessionMaxLifespan: 43200,
  bruteForceProtected: false}')"
if [[ "$ALG" == ES256 ]]; then
  kc_admin POST "/realms/$REALM/components" "$(jq -cn --arg realm "$REALM" '{
    name: "ecdsa-generated", providerId: "ecdsa-generated", providerType: "org.keycloak.keys.KeyProvider",
    parentId: $realm, config: {priority: ["200"], enabled: ["true"], active: ["true"],
    ecdsaEllipticCurveKey: ["P-256"]}}')"
fi
kc_admin POST "/realms/$REALM/clients" "$(jq -cn --arg secret "$KC_SECRET" '{
  clientId: "bench", protocol: "openid-connect", publicClient: false, clientAuthenticatorType: "client-secret",
  secret: $secret, standardFlowEnabled: false, directAccessGrantsEnabled: true, serviceAccountsEnabled: true}')"
KC_BASIC="$(printf '%s:%s' bench "$KC_SECRET" | base64 -w 0)"
log "seeding the same $USERS users in Keycloak"
export KC_TOKEN KC_BASE REALM PASSWORD
# First and last name: Keycloak's default user profile requires them, or a password grant answers "Account is not
# fully set up".
run_child xargs -P 2 -I{} sh -c 'jq -cn --arg u "{}" --arg p "$PASSWORD" "{username: \$u, email: \$u,
    enabled: true, emailVerified: true, firstName: \"Bench\", lastName: \"User\",
    credentials: [{type: \"password\", value: \$p, temporary: false}]}" \
  | curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $KC_TOKEN" -H "Content-Type: application/json" \
    --data @- "$KC_BASE/admin/realms/$REALM/users" || echo "user creation failed: {}" >&2' \
  <"$WORK/users.txt" 2>"$WORK/kc-seed-errors.txt"
[[ ! -s "$WORK/kc-seed-errors.txt" ]] || { cat "$WORK/kc-seed-errors.txt" >&2; die "seeding Keycloak failed"; }
# The hashes Keycloak stored must use the parameters asked for.
kc_hash="$(psql "$PG_BASE/$KC_DB" -Atq -c "SELECT c.credential_data FROM credential c JOIN user_entity u
  ON u.id = c.user_id WHERE u.realm_id = '$REALM' AND c.type = 'password' LIMIT 1")"
log "Keycloak's stored password hash: $kc_hash"
jq -e --argjson t "$ARGON2_T" --arg m "$ARGON2_M" --arg p "$ARGON2_P" '.algorithm == "argon2"
  and .hashIterations == $t and .additionalParameters.memory == [$m] and .additionalParameters.parallelism == [$p]
  and .additionalParameters.type == ["id"]' <<<"$kc_hash" >/dev/null \
  || die "Keycloak did not hash with Argon2id t=$ARGON2_T m=$ARGON2_M p=$ARGON2_P"
stop_servers
KC_TOKEN_PATH="/realms/$REALM/protocol/openid-connect/token"
export BENCH_KC_TOKEN_PATH="$KC_TOKEN_PATH" BENCH_KC_USERINFO_PATH="/realms/$REALM/protocol/openid-connect/userinfo"

# Keycloak password grants for N sessions (users round robin); writes one field of each answer per line.
kc_tokens() {
  local n="$1" field="$2" scope="$3" file="$4" i user
  : >"$file"
  for ((i = 0; i < n; i++)); do
    user="$(sed -n "$((i % USERS + 1))p" "$WORK/users.txt")"
    curl -fsS -H "Authorization: Basic $KC_BASIC" --data-urlencode grant_type=password \
      --data-urlencode "username=$user" --data-urlencode "password=$PASSWORD" ${scope:+--data-urlencode "scope=$scope"} \
      "$KC_BASE$KC_TOKEN_PATH" | jq -er ".$field" >>"$file"
  done
}

# The "alg" of a JWS's protected header (RFC 7515 §4.1.1), read from stdin.
jws_alg() {
  cut -d. -f1 | tr '_-' '/+' | awk '{ while (length($0) % 4) $0 = $0 "="; print }' | base64 -d 2>/dev/null | jq -r .alg
}

# --- rounds -------------------------------------------------------------------------------------------------------
# One server: restart, idle memory, then each scenario with the same warm-up.
run_server() {
  local server="$1" round="$2"
  if [[ "$server" == plinto ]]; then
    start_server "${SERVER_ENV[@]}"
    BASE="$PL_BASE"
  else
    start_keycloak
    BASE="$KC_BASE"
  fi
  local restart="$STARTUP_S"
  # bin/plinto execs the JVM; kc.sh stays as its parent (forwarding signals): start_keycloak set JVM_PID.
  [[ "$server" != plinto ]] || JVM_PID="$SERVER_PID"
  sleep "$IDLE_WAIT"
  local idle
  idle="$(rss_mb "$JVM_PID")"
  log "round $round, $server: ready after $restart s, idle RSS $idle MB"
  record --arg server "$server" --argjson round "$round" --argjson restart "$restart" --argjson idle "$idle" \
    --argjson wait "$IDLE_WAIT" \
    '{server: $server, round: $round, scenario: "idle", restart_s: $restart, idle_rss_mb: $idle, idle_wait_s: $wait}'
  # Both servers must sign with the algorithm of the run (checked after the idle memory is read).
  local alg
  if [[ "$server" == plinto ]]; then
    sign_in_tokens 1 access_token "$WORK/alg-token.txt"
  else
    kc_tokens 1 access_token "" "$WORK/alg-token.txt"
  fi
  alg="$(jws_alg <"$WORK/alg-token.txt")"
  [[ "$alg" == "$ALG" ]] || die "$server signed its access token with '$alg', not $ALG"
  local scenario script tokens warm_tokens warmup
  for scenario in "${SCENARIO_LIST[@]}"; do
    tokens=""
    warm_tokens=""
    CLIENT_BASIC=""
    case "$server/$scenario" in
      plinto/sign-in) script=sign-in ;;
      plinto/refresh)
        script=refresh
        sign_in_tokens "$CONNECTIONS" refresh_token "$WORK/warm-tokens.txt"
        sign_in_tokens "$CONNECTIONS" refresh_token "$WORK/tokens.txt" ;;
      plinto/me)
        script=me
        sign_in_tokens "$CONNECTIONS" access_token "$WORK/tokens.txt"
        cp "$WORK/tokens.txt" "$WORK/warm-tokens.txt" ;;
      plinto/client-credentials) script=client-credentials; CLIENT_BASIC="$PL_CC_BASIC" ;;
      keycloak/sign-in) script=kc-sign-in; CLIENT_BASIC="$KC_BASIC" ;;
      keycloak/refresh)
        script=kc-refresh
        CLIENT_BASIC="$KC_BASIC"
        kc_tokens "$CONNECTIONS" refresh_token "" "$WORK/warm-tokens.txt"
        kc_tokens "$CONNECTIONS" refresh_token "" "$WORK/tokens.txt" ;;
      keycloak/me)
        script=kc-userinfo
        kc_tokens "$CONNECTIONS" access_token openid "$WORK/tokens.txt"
        cp "$WORK/tokens.txt" "$WORK/warm-tokens.txt" ;;
      keycloak/client-credentials) script=kc-client-credentials; CLIENT_BASIC="$KC_BASIC" ;;
    esac
    if [[ "$scenario" == refresh || "$scenario" == me ]]; then
      tokens="$WORK/tokens.txt"
      warm_tokens="$WORK/warm-tokens.txt"
    fi
    warmup="$WARMUP"
    [[ "$scenario" != sign-in ]] || warmup="$SIGN_IN_WARMUP"
    if [[ "$warmup" -gt 0 ]]; then
      log "round $round, $server, $scenario: warm-up $warmup s"
      run_wrk "$script" "$warmup" "$warm_tokens"
    fi
    log "round $round, $server, $scenario: $DURATION s with $CONNECTIONS connections"
    local cpu0 cpu1 result wall cpu_pct
    cpu0="$(cpu_ticks "$JVM_PID")"
    run_wrk "$script" "$DURATION" "$tokens"
    result="$WRK_RESULT"
    cpu1="$(cpu_ticks "$JVM_PID")"
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$SERVER_LOG" >&2; SERVER_PID=""; die "$server died during $scenario"; }
    wall="$(jq -r .duration_s <<<"$result")"
    cpu_pct="$(echo "($cpu1 - $cpu0) / $CLK_TCK / $wall * 100" | bc -l | awk '{ printf "%.0f", $1 }')"
    record --arg server "$server" --argjson round "$round" --arg scenario "$scenario" --argjson r "$result" \
      --argjson cpu "$cpu_pct" --argjson warmup "$warmup" --argjson rss "$(rss_mb "$JVM_PID")" \
      '{server: $server, round: $round, scenario: $scenario, warmup_s: $warmup} + $r
       + {server_cpu_pct: $cpu, rss_after_mb: $rss}'
    if [[ "$(jq -r '.non2xx + .errors_connect + .errors_read + .errors_write + .errors_timeout' <<<"$result")" != 0 ]]; then
      echo "   $server $scenario had errors; first non-2xx: $(jq -r .first_error <<<"$result")" >&2
    fi
    if [[ "$(jq -r .requests <<<"$result")" == 0 ]]; then
      echo "   $server $scenario: no answer within the measured $DURATION s (slower than 1 per $DURATION s per connection)" >&2
    fi
  done
  stop_servers
}

for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2 == 1)); then order=(plinto keycloak); else order=(keycloak plinto); fi
  for server in "${order[@]}"; do
    run_server "$server" "$round"
  done
done

if [[ "$RAW_SECONDS" -gt 0 ]]; then
  log "raw Argon2id verifications again, after the rounds"
  RAW_AFTER="$(raw_argon2)"
  [[ -n "$RAW_AFTER" ]] || die "RawLimits printed no argon2id_verify_per_s"
  log "raw Argon2id: $RAW_AFTER verifications/s"
  record --argjson v "$RAW_AFTER" '{scenario: "raw_argon2id_verify", when: "after", per_s: $v}'
fi

# --- summary ------------------------------------------------------------------------------------------------------
echo
echo "Plinto and Keycloak $KC_VERSION side by side, $STAMP: $JAVA_VENDOR $JAVA_VERSION, $ALG, Argon2id" \
  "t=$ARGON2_T m=$ARGON2_M KiB p=$ARGON2_P, $USERS users, server alone on CPU $SERVER_CPU, wrk and PostgreSQL on" \
  "CPU $LOAD_CPU, $CONNECTIONS connections, $ROUNDS round(s) alternating, ${DURATION} s per scenario after" \
  "${WARMUP} s warm-up (sign-in ${SIGN_IN_WARMUP} s); medians of the rounds"
echo "Host: ${CPU_MODEL:-unknown}, $(nproc --all) CPUs, kernel $(uname -r), load average now $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "$RAW_BEFORE" != null ]]; then
  echo "Raw Argon2id verifications/s on CPU $SERVER_CPU: $RAW_BEFORE before, $RAW_AFTER after the rounds"
fi
echo
jq -rs --arg alg "$ALG" --argjson raw "$RAW_BEFORE" '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
    else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def r1: if . == null then "-" else (. * 10 | round / 10 | tostring) end;
  def r2: if . == null then "-" else (. * 100 | round / 100 | tostring) end;
  def med($server; $scenario; f): [.[] | select(.server == $server and .scenario == $scenario) | f] | median;
  def met($ok): if $ok == null then "-" elif $ok then "met" else "NOT met" end;
  . as $all
  | ["scenario", "Plinto", "Keycloak", "ratio", "target", "result"],
    (["sign-in", "refresh", "client-credentials", "me"][] as $s
     | select(any($all[]; .scenario == $s))
     | ($all | med("plinto"; $s; .rps)) as $p | ($all | med("keycloak"; $s; .rps)) as $k
     | (if $p != null and $p > 0 and $k != null and $k > 0 then $p / $k else null end) as $ratio
     | ({"sign-in": 1.5, "refresh": (if $alg == "ES256" then 5 else 3 end),
         "client-credentials": (if $alg == "RS256" then 5 else null end), "me": 10}[$s]) as $t
     | ["\($s) req/s" + (if $s == "me" then " (/v1/me vs userinfo)" else "" end), ($p | r1), ($k | r1),
        (if $ratio == null then "-" else ($ratio | r2) + "x" end),
        (if $t == null then "-" else ">= \($t)x" end),
        met(if $t == null or $ratio == null then null else $ratio >= $t end)],
     (select($s == "sign-in" and $raw != null and $p != null and $p > 0)
      | ["sign-in / raw Argon2id", ($p | r1), "-", ($p / $raw | r2), ">= 0.9 of raw", met($p / $raw >= 0.9)])),
    (($all | med("plinto"; "idle"; .idle_rss_mb)) as $p | ($all | med("keycloak"; "idle"; .idle_rss_mb)) as $k
     | select($p != null)
     | ["idle RSS MB", ($p | r1), ($k | r1), (if $k then ($p / $k | r2) + "x" else "-" end), "<= 0.5x and <= 256 MB",
        met(if $k then ($p / $k <= 0.5 and $p <= 256) else null end)]),
    (($all | med("plinto"; "idle"; .restart_s)) as $p | ($all | med("keycloak"; "idle"; .restart_s)) as $k
     | select($p != null)
     | ["restart to ready s", ($p | r2), ($k | r2), (if $k then ($p / $k | r2) + "x" else "-" end), "<= 0.2x",
        met(if $k then $p / $k <= 0.2 else null end)])
  | @tsv' "$WORK/results.jsonl" | column -t -s $'\t'
echo
echo "Per round (req/s, p99 ms, non-2xx, server CPU %):"
jq -rs '.[] | select(.rps != null)
  | "  round \(.round) \(.server) \(.scenario): \(.rps) req/s, p99 \(.p99_ms) ms, non-2xx \(.non2xx), cpu \(.server_cpu_pct) %"' \
  "$WORK/results.jsonl"
if jq -se 'any(.[]; (.non2xx // 0) + (.errors_connect // 0) + (.errors_read // 0) + (.errors_write // 0)
    + (.errors_timeout // 0) > 0 or .requests == 0)' "$WORK/results.jsonl" >/dev/null; then
  echo "warning: some scenarios had errors or no answers (see above); their figures are not comparable" >&2
fi
if [[ -n "$RESULTS_FILE" ]]; then
  echo
  echo "Results: $RESULTS_FILE"
fi
