#!/usr/bin/env bash
# Plinto benchmark runner (method and columns: docs/benchmarks.md).
#
# Starts Plinto on a fresh PostgreSQL database through bin/plinto, pinned to CPU 0 (taskset -c 0), drives it with
# wrk pinned to CPU 1, and prints for each scenario requests/s, p50/p99 latency, non-2xx answers and socket errors,
# the server's CPU use and its resident memory (idle and peak under load), next to the raw limit measured on the
# same CPU with the same JDK (bench/RawLimits.java). With raw and a load scenario, the raw limits are measured again
# once the load is over ("raw after load"), so that drift of the machine during the run shows.
#
#   bench/run.sh [options]
#     -d, --duration SECONDS     measured load per scenario (default 30)
#     -w, --warmup SECONDS       unmeasured load before each scenario, for the JIT (default 60)
#     --sign-in-warmup SECONDS   the same before sign-in (default 240): at tens of sign-ins per second its request
#                                path reaches the JIT's thresholds minutes later than refresh or /v1/me do
#     -c, --connections N        concurrent connections = wrk threads (default 8)
#     -j, --java-home DIR        the JDK to run the server and the raw limits with (default $JAVA_HOME)
#     -a, --alg ALG              PLINTO_SIGNING_ALG: RS256 (default), ES256 or EdDSA
#     -s, --scenarios LIST       comma-separated, in this order: startup,raw,sign-in,refresh,me,
#                                client-credentials,code-exchange (default all)
#     -u, --users N              users seeded for sign-in (default 100)
#     --codes N                  authorization codes collected for code-exchange, once for its warm-up and once
#                                for its measurement (default 40000); each is exchanged once, so N must outlast the
#                                run: a run that runs out is flagged
#     -r, --raw-seconds SECONDS  measuring time per raw limit (default 5)
#     -o, --json                 also append one JSON object per result to bench/results/<timestamp>.jsonl
#     --db-commit sync|async     sync (default): the benchmark database commits as PostgreSQL does by default, each
#                                commit waiting for its WAL flush; async: the benchmark database alone is set to
#                                synchronous_commit=off, taking this machine's disk flush latency out of the
#                                server's measurements (docs/benchmarks.md, "Database commits")
#     -h, --help
#   Environment: PLINTO_BENCH_PG (default postgresql://postgres@127.0.0.1:5432) is the PostgreSQL server; the
#   database plinto_bench_<pid> is created there and dropped at the end. PLINTO_JAVA_OPTS passes to bin/plinto.
#   When that PostgreSQL runs on this machine and its processes may be re-pinned (same user or root), they are
#   moved to the load CPU for the load scenarios and given back their CPUs at the end, so that the server's CPU
#   is its own, as on a host with a separate database; PLINTO_BENCH_PIN_DB=off leaves them alone.
#   PLINTO_BENCH_PORT fixes the server's port (default: a free one between 20000 and 40000) and
#   PLINTO_BENCH_DB_NAME the database's name (default plinto_bench_<pid>), e.g. on a machine shared with others.
#
# Needs Linux with at least 2 CPUs, curl, jq, wrk, taskset and psql; installs the missing ones with apt-get when
# it can. Stops the server and drops the database on exit, including Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"

DURATION=30
WARMUP=60
SIGN_IN_WARMUP=240
CONNECTIONS=8
JDK="${JAVA_HOME:-}"
ALG=RS256
SCENARIOS="startup,raw,sign-in,refresh,me,client-credentials,code-exchange"
USERS=100
CODES=40000
RAW_SECONDS=5
JSON=false
DB_COMMIT=sync
PG_BASE="${PLINTO_BENCH_PG:-postgresql://postgres@127.0.0.1:5432}"
SERVER_CPU=0
LOAD_CPU=1

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    -d|--duration) DURATION="$2"; shift 2 ;;
    -w|--warmup) WARMUP="$2"; shift 2 ;;
    --sign-in-warmup) SIGN_IN_WARMUP="$2"; shift 2 ;;
    -c|--connections) CONNECTIONS="$2"; shift 2 ;;
    -j|--java-home) JDK="$2"; shift 2 ;;
    -a|--alg) ALG="$2"; shift 2 ;;
    -s|--scenarios) SCENARIOS="$2"; shift 2 ;;
    -u|--users) USERS="$2"; shift 2 ;;
    --codes) CODES="$2"; shift 2 ;;
    -r|--raw-seconds) RAW_SECONDS="$2"; shift 2 ;;
    -o|--json) JSON=true; shift ;;
    --db-commit) DB_COMMIT="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "bench/run.sh: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }
# Helpers shared with bench/keycloak.sh (server start and stop, pinning, wrk).
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"

for n in "$DURATION" "$WARMUP" "$SIGN_IN_WARMUP" "$CONNECTIONS" "$USERS" "$RAW_SECONDS" "$CODES"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "durations and counts must be whole numbers, not '$n'"
done
[[ "$CONNECTIONS" -ge 1 && "$DURATION" -ge 1 ]] || die "need at least 1 connection and 1 second"
[[ "$CODES" -ge "$CONNECTIONS" ]] || die "--codes must be at least --connections (one code per connection)"
case "$ALG" in RS256|ES256|EdDSA) ;; *) die "--alg must be RS256, ES256 or EdDSA, not '$ALG'" ;; esac
case "$DB_COMMIT" in sync|async) ;; *) die "--db-commit must be sync or async, not '$DB_COMMIT'" ;; esac
IFS=',' read -r -a SCENARIO_LIST <<<"$SCENARIOS"
for s in "${SCENARIO_LIST[@]}"; do
  case "$s" in
    startup|raw|sign-in|refresh|me|client-credentials|code-exchange) ;;
    *) die "unknown scenario '$s' (startup, raw, sign-in, refresh, me, client-credentials, code-exchange)" ;;
  esac
done
wants() { [[ ",$SCENARIOS," == *",$1,"* ]]; }

if [[ -n "$JDK" ]]; then
  export JAVA_HOME="$JDK"
  JAVA="$JDK/bin/java"
else
  JAVA="$(command -v java || true)"
fi
[[ -n "$JAVA" && -x "$JAVA" ]] || die "no java: pass --java-home or set JAVA_HOME"
JAVA_VERSION="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ { print $2; exit }')"
JAVA_VENDOR="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vendor = / { print $2; exit }')"

# --- tools ------------------------------------------------------------------------------------------------------
missing=()
for tool in curl jq wrk taskset psql; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  packages=()
  for tool in "${missing[@]}"; do
    case "$tool" in
      taskset) packages+=(util-linux) ;;
      psql) packages+=(postgresql-client) ;;
      *) packages+=("$tool") ;;
    esac
  done
  command -v apt-get >/dev/null || die "missing ${missing[*]}; install them (Debian/Ubuntu packages: ${packages[*]})"
  SUDO=""
  [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
  log "installing ${packages[*]} with apt-get"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi
[[ "$(nproc --all)" -ge 2 ]] || die "needs at least 2 CPUs (server on CPU $SERVER_CPU, load on CPU $LOAD_CPU)"

# --- state and cleanup ------------------------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/plinto-bench.XXXXXX")"
SERVER_PID=""
SAMPLER_PID=""
CHILD_PID=""
DB_NAME=""
DB_CPU_MASK=""
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS_FILE=""
if $JSON; then
  mkdir -p "$BENCH/results"
  RESULTS_FILE="$BENCH/results/$STAMP.jsonl"
fi


cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$CHILD_PID" ]]; then
    kill -TERM "$CHILD_PID" 2>/dev/null || true
    wait "$CHILD_PID" 2>/dev/null || true
  fi
  stop_server
  unpin_database
  if [[ -n "$DB_NAME" ]]; then
    psql "$PG_BASE/postgres" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 \
      || echo "bench/run.sh: could not drop database $DB_NAME" >&3
  fi
  rm -rf "$WORK"
  exit "$rc"
}
# fd 3: the terminal's stderr, also while a trap runs inside a redirected command.
exec 3>&2
trap cleanup EXIT
trap 'echo "bench/run.sh: interrupted; stopping the server and dropping the database" >&3; exit 130' INT TERM

# --- helpers ----------------------------------------------------------------------------------------------------
# Garbage collections of the server so far, from its perf data (jstat attaches without stopping the JVM):
# "young_count young_seconds full_count full_seconds". jstat must come from the same JDK as the server.
JSTAT="$(dirname "$JAVA")/jstat"
gc_counters() {
  "$JSTAT" -gc "$1" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { print $col["YGC"], $col["YGCT"], $col["FGC"], $col["FGCT"] }' || true
}

# Appends a JSON result (given as jq arguments producing an object) to the results file and keeps it for the summary.
record() {
  local line
  line="$(jq -cn "$@" | jq -c --arg cpu_model "${CPU_MODEL:-unknown}" --argjson cpus "$(nproc --all)" \
    --arg kernel "$(uname -r)" '. + {host: {cpu_model: $cpu_model, cpus: $cpus, kernel: $kernel}}')"
  echo "$line" >>"$WORK/results.jsonl"
  if [[ -n "$RESULTS_FILE" ]]; then
    echo "$line" >>"$RESULTS_FILE"
  fi
}

CPU_MODEL="$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')"
common_fields=(--arg run "$STAMP" --arg java "$JAVA_VERSION" --arg java_vendor "$JAVA_VENDOR" --arg alg "$ALG"
  --argjson connections "$CONNECTIONS" --argjson duration "$DURATION"
  --arg db_commit "$DB_COMMIT")


# --- build and prepare ------------------------------------------------------------------------------------------
cd "$ROOT"
prepare_plinto
log "JDK: $JAVA_VENDOR $JAVA_VERSION; signing: $ALG; server on CPU $SERVER_CPU, load on CPU $LOAD_CPU"

# Runs bench/RawLimits.java on the server CPU into a file (key=value lines) and records it as the given scenario.
measure_raw() {
  local scenario="$1" file="$2" json
  run_child taskset -c "$SERVER_CPU" "$JAVA" "${RAW_JVM_OPTS[@]}" -cp "$WORK/raw-classes:$CP" RawLimits \
    --seconds "$RAW_SECONDS" --warmup 3 >"$file"
  json="$(jq -Rn '[inputs | capture("^(?<k>[a-z0-9_]+)=(?<v>.*)$")
      | select(.k | test("_per_s$|_slices_min_median_max$|_gc_pct$")) | {(.k): (.v | tonumber? // .)}] | add' \
    <"$file")"
  record "${common_fields[@]}" --argjson raw "$json" --arg scenario "$scenario" \
    --arg argon2 "$(sed -n 's/^argon2_params=//p' "$file")" \
    '{run: $run, scenario: $scenario, java: $java, java_vendor: $java_vendor, argon2_params: $argon2} + $raw'
}

# --- raw limits -------------------------------------------------------------------------------------------------
declare -A RAW=()
if wants raw; then
  log "raw limits on CPU $SERVER_CPU (Argon2id with PasswordHasher, JWS with Nimbus; ${RAW_SECONDS} s each)"
  mkdir -p target/bench
  if [[ ! -s target/bench/classpath.txt || pom.xml -nt target/bench/classpath.txt ]]; then
    ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt >/dev/null
  fi
  CP="$ROOT/target/classes:$(cat target/bench/classpath.txt)"
  rm -rf "$WORK/raw-classes"
  "$(dirname "$JAVA")/javac" --release 17 -nowarn -cp "$CP" -d "$WORK/raw-classes" bench/RawLimits.java
  # The JVM options of bin/plinto (collector, heap, PLINTO_JAVA_OPTS), so the comparison is like for like.
  mapfile -t RAW_JVM_OPTS < <(PLINTO_PRINT_JVM_OPTIONS=1 "$ROOT/bin/plinto")
  measure_raw raw "$WORK/raw.txt"
  cat "$WORK/raw.txt" >&2
  while IFS='=' read -r key value; do
    RAW[$key]="$value"
  done <"$WORK/raw.txt"
fi

# --- start-up on embedded storage -------------------------------------------------------------------------------
if wants startup; then
  log "start-up to healthy on embedded H2 (first start on an empty data dir, then a restart)"
  H2_DIR="$WORK/h2-data"
  mkdir -p "$H2_DIR"
  start_server PLINTO_DATA_DIR="$H2_DIR" PLINTO_DATABASE_URL= PLINTO_SIGNING_ALG="$ALG"
  FIRST_S="$STARTUP_S"
  sleep 5
  H2_IDLE_RSS="$(rss_mb "$SERVER_PID")"
  stop_server
  start_server PLINTO_DATA_DIR="$H2_DIR" PLINTO_DATABASE_URL= PLINTO_SIGNING_ALG="$ALG"
  RESTART_S="$STARTUP_S"
  stop_server
  record "${common_fields[@]}" --argjson first "$FIRST_S" --argjson restart "$RESTART_S" \
    --argjson rss "$H2_IDLE_RSS" --argjson aot "$AOT_USED" \
    '{run: $run, scenario: "startup", storage: "h2", java: $java, java_vendor: $java_vendor, alg: $alg,
      aot_cache: $aot, first_start_s: $first, restart_s: $restart, idle_rss_mb: $rss}'
fi

# --- PostgreSQL-backed load scenarios ---------------------------------------------------------------------------
LOAD_SCENARIOS=()
for s in sign-in refresh me client-credentials code-exchange; do
  if wants "$s"; then
    LOAD_SCENARIOS+=("$s")
  fi
done
if [[ ${#LOAD_SCENARIOS[@]} -gt 0 ]]; then
  DB_NAME="${PLINTO_BENCH_DB_NAME:-plinto_bench_$$}"
  psql "$PG_BASE/postgres" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB_NAME" >/dev/null \
    || { DB_NAME=""; die "cannot create a database on $PG_BASE (set PLINTO_BENCH_PG)"; }
  if [[ "$DB_COMMIT" == async ]]; then
    # Only this throwaway database: its sessions no longer wait for the WAL flush at commit (PostgreSQL docs,
    # "Asynchronous Commit"); the server's own work per request is unchanged.
    psql "$PG_BASE/postgres" -q -v ON_ERROR_STOP=1 -c "ALTER DATABASE $DB_NAME SET synchronous_commit = off" \
      >/dev/null || die "cannot set synchronous_commit on $DB_NAME"
    log "database commits: asynchronous (synchronous_commit=off on $DB_NAME only)"
  fi
  pin_database
  plinto_server_env "$PG_BASE/$DB_NAME"
  log "starting Plinto on PostgreSQL database $DB_NAME"
  start_server "${SERVER_ENV[@]}"
  BASE="http://127.0.0.1:$PORT"
  PG_STARTUP_S="$STARTUP_S"
  sleep 5
  IDLE_RSS="$(rss_mb "$SERVER_PID")"
  log "healthy after ${PG_STARTUP_S} s; idle RSS ${IDLE_RSS} MB"
  record "${common_fields[@]}" --argjson s "$PG_STARTUP_S" --argjson rss "$IDLE_RSS" --argjson aot "$AOT_USED" \
    '{run: $run, scenario: "idle", storage: "postgresql", java: $java, java_vendor: $java_vendor, alg: $alg,
      aot_cache: $aot, startup_s: $s, idle_rss_mb: $rss}'

  seed_plinto_users

  # OpenID provider clients, registered with the jar's own command (on the load CPU, against the same database).
  # client-credentials: a confidential client with only that grant and one API scope. code-exchange: a first-party
  # confidential client (no consent page) with the default grants, redirecting to a loopback URI nobody serves
  # (the codes are read from the redirect's Location, never followed).
  if wants client-credentials; then
    register_client --name "Bench client credentials" --grants client_credentials --scopes bench.read
    CC_BASIC="$(printf '%s:%s' "$CLIENT_ID" "$CLIENT_SECRET" | base64 -w 0)"
  fi
  if wants code-exchange; then
    REDIRECT_URI="http://127.0.0.1:$PORT/bench-callback"
    register_client --name "Bench code exchange" --redirect-uri "$REDIRECT_URI" --first-party --scopes openid
    CODE_CLIENT_ID="$CLIENT_ID"
    CODE_BASIC="$(printf '%s:%s' "$CLIENT_ID" "$CLIENT_SECRET" | base64 -w 0)"
  fi
  # Collects N codes into a file: one sign-in of a seeded user, then /oauth2/authorize with its session cookie.
  collect_codes() {
    local n="$1" file="$2"
    run_child taskset -c "$LOAD_CPU" "$JAVA" "$BENCH/OidcCodes.java" "$BASE" "$CODE_CLIENT_ID" "$REDIRECT_URI" \
      "$(sed -n 1p "$WORK/users.txt")" "$PASSWORD" "$n" "$file" 2 2>"$WORK/codes.err" \
      || { cat "$WORK/codes.err" >&2; die "collecting authorization codes failed"; }
    log "code-exchange: $(cat "$WORK/codes.err")"
  }

  for scenario in "${LOAD_SCENARIOS[@]}"; do
    warm_tokens=""
    tokens=""
    case "$scenario" in
      refresh)
        # One fresh session per thread for the warm-up and another for the measurement: the warm-up rotates
        # its tokens, so reusing them would be refresh-token reuse.
        sign_in_tokens "$CONNECTIONS" refresh_token "$WORK/refresh-warm.txt"
        sign_in_tokens "$CONNECTIONS" refresh_token "$WORK/refresh.txt"
        warm_tokens="$WORK/refresh-warm.txt"
        tokens="$WORK/refresh.txt"
        ;;
      me)
        sign_in_tokens "$CONNECTIONS" access_token "$WORK/access.txt"
        warm_tokens="$WORK/access.txt"
        tokens="$WORK/access.txt"
        ;;
      client-credentials)
        CLIENT_BASIC="$CC_BASIC"
        ;;
      code-exchange)
        CLIENT_BASIC="$CODE_BASIC"
        warm_tokens="$WORK/codes-warm.txt"
        tokens="$WORK/codes.txt"
        ;;
    esac
    warmup="$WARMUP"
    [[ "$scenario" != sign-in ]] || warmup="$SIGN_IN_WARMUP"
    if [[ "$warmup" -gt 0 ]]; then
      [[ "$scenario" != code-exchange ]] || collect_codes "$CODES" "$warm_tokens"
      log "$scenario: warm-up ${warmup} s"
      run_wrk "$scenario" "$warmup" "$warm_tokens"
    fi
    # Codes live 5 minutes: the measured ones are collected after the warm-up, right before they are used.
    [[ "$scenario" != code-exchange ]] || collect_codes "$CODES" "$tokens"
    log "$scenario: ${DURATION} s with $CONNECTIONS connections"
    start_sampler "$WORK/rss-$scenario.txt"
    cpu0="$(cpu_ticks "$SERVER_PID")"
    read -r ygc0 ygct0 fgc0 fgct0 <<<"$(gc_counters "$SERVER_PID")"
    run_wrk "$scenario" "$DURATION" "$tokens"
    result="$WRK_RESULT"
    cpu1="$(cpu_ticks "$SERVER_PID")"
    read -r ygc1 ygct1 fgc1 fgct1 <<<"$(gc_counters "$SERVER_PID")"
    stop_sampler
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      tail -n 20 "$SERVER_LOG" >&2
      SERVER_PID=""
      die "the server died during $scenario (log above); wrk said: $result"
    fi
    ps -o rss= -p "$SERVER_PID" >>"$WORK/rss-$scenario.txt" 2>/dev/null || true
    peak_rss="$(sort -n "$WORK/rss-$scenario.txt" | tail -n 1 | awk '{ printf "%.1f", $1 / 1024 }')"
    wall="$(jq -r .duration_s <<<"$result")"
    cpu_pct="$(echo "($cpu1 - $cpu0) / $CLK_TCK / $wall * 100" | bc -l | awk '{ printf "%.0f", $1 }')"
    gc_json="$(jq -cn --arg y0 "${ygc0:-}" --arg y1 "${ygc1:-}" --arg yt0 "${ygct0:-}" --arg yt1 "${ygct1:-}" \
      --arg f0 "${fgc0:-}" --arg f1 "${fgc1:-}" --arg ft0 "${fgct0:-}" --arg ft1 "${fgct1:-}" --argjson wall "$wall" '
      if $y1 == "" or $y0 == "" then {gc_young: null, gc_full: null, gc_pct: null}
      else {gc_young: (($y1 | tonumber) - ($y0 | tonumber)), gc_full: (($f1 | tonumber) - ($f0 | tonumber)),
            gc_pct: (((($yt1 | tonumber) - ($yt0 | tonumber) + ($ft1 | tonumber) - ($ft0 | tonumber)) / $wall * 1000
                     | round) / 10)} end')"
    raw_key=""
    case "$scenario" in
      sign-in) raw_key="argon2id_verify_per_s" ;;
      refresh) raw_key="$(tr '[:upper:]' '[:lower:]' <<<"$ALG")_sign_per_s" ;;
      me) raw_key="$(tr '[:upper:]' '[:lower:]' <<<"$ALG")_verify_per_s" ;;
      # client credentials signs one access token per request; a code exchange signs two (access and ID token)
      client-credentials|code-exchange) raw_key="$(tr '[:upper:]' '[:lower:]' <<<"$ALG")_sign_per_s" ;;
    esac
    raw_value="${RAW[$raw_key]:-null}"
    record "${common_fields[@]}" --argjson r "$result" --argjson peak "$peak_rss" --argjson idle "$IDLE_RSS" \
      --argjson cpu "$cpu_pct" --arg scenario "$scenario" --arg raw_key "$raw_key" --argjson raw "$raw_value" \
      --argjson aot "$AOT_USED" --argjson gc "$gc_json" --argjson warmup "$warmup" \
      --argjson exhausted "${CODES_EXHAUSTED:-null}" \
      '{run: $run, scenario: $scenario, storage: "postgresql", java: $java, java_vendor: $java_vendor, alg: $alg,
        aot_cache: $aot, connections: $connections, warmup_s: $warmup, db_commit: $db_commit} + $r
       + (if $exhausted == null then {} else {codes_exhausted_threads: $exhausted} end)
       + {server_cpu_pct: $cpu} + $gc + {idle_rss_mb: $idle, peak_rss_mb: $peak, raw_limit: $raw_key, raw_per_s: $raw,
          ratio: (if $raw == null then null else ($r.rps / $raw * 1000 | round / 1000) end)}'
    if [[ -n "${CODES_EXHAUSTED:-}" && "$CODES_EXHAUSTED" != 0 ]]; then
      echo "   $scenario: $CODES_EXHAUSTED of $CONNECTIONS connections ran out of codes before the end; its req/s" \
        "is understated (wrk divides by the whole duration): rerun with a larger --codes" >&2
    fi
    if [[ "$(jq -r '.non2xx + .errors_connect + .errors_read + .errors_write + .errors_timeout' <<<"$result")" != 0 ]]; then
      echo "   $scenario had errors; first non-2xx: $(jq -r .first_error <<<"$result")" >&2
    fi
  done
  log "stopping the server"
  stop_server
  if wants raw; then
    # The raw limits once more, now that the load is over: on a shared machine they drift within minutes, and a
    # ratio to a limit measured before the load is only as good as that drift is small (docs/benchmarks.md).
    log "raw limits again on CPU $SERVER_CPU, after the load scenarios"
    measure_raw raw_after "$WORK/raw-after.txt"
  fi
  # Warnings and errors the server logged, without the known start-up notices (CGLIB final methods, springdoc).
  grep -E ' (ERROR|WARN) ' "$SERVER_LOG" | grep -vE 'CglibAopProxy|SpringDocAppInitializer' | tail -n 5 >&2 || true
fi

# --- summary ----------------------------------------------------------------------------------------------------
echo
echo "Plinto benchmark $STAMP: $JAVA_VENDOR $JAVA_VERSION, $ALG, server on CPU $SERVER_CPU, load on CPU $LOAD_CPU," \
  "$CONNECTIONS connections, ${DURATION} s per scenario after ${WARMUP} s warm-up (sign-in ${SIGN_IN_WARMUP} s)," \
  "AOT cache: $AOT_USED," \
  "database commits: $DB_COMMIT"
jq -r 'select(.scenario == "raw" or .scenario == "raw_after") | . as $raw
       | (if .scenario == "raw" then "raw" else "raw after load" end) as $what
       | to_entries[] | select(.key | endswith("_per_s"))
       | (.key | sub("_per_s$"; "")) as $name
       | "\($what)  \($name)  \(.value)/s  (1 s slices min/median/max \($raw[$name + "_slices_min_median_max"] // "-"), GC \($raw[$name + "_gc_pct"] // "-") %)"' \
  "$WORK/results.jsonl"
jq -r 'select(.scenario == "startup")
       | "start-up (embedded H2)  first start \(.first_start_s) s, restart \(.restart_s) s, idle RSS \(.idle_rss_mb) MB"' \
  "$WORK/results.jsonl"
jq -r 'select(.scenario == "idle")
       | "start-up (PostgreSQL)   \(.startup_s) s to healthy, idle RSS \(.idle_rss_mb) MB"' "$WORK/results.jsonl"
if jq -se 'any(.[]; .rps != null)' "$WORK/results.jsonl" >/dev/null 2>&1; then
  echo
  {
    echo "scenario req/s p50_ms p99_ms non-2xx sock_err cpu_% gc_% young/full idle_MB peak_MB raw_limit raw/s ratio"
    jq -r 'select(.rps != null) | [.scenario, .rps, .p50_ms, .p99_ms, .non2xx,
             (.errors_connect + .errors_read + .errors_write + .errors_timeout), .server_cpu_pct,
             (.gc_pct // "-"), "\(.gc_young // "-")/\(.gc_full // "-")",
             .idle_rss_mb, .peak_rss_mb, (.raw_limit | sub("_per_s$"; "")), (.raw_per_s // "-"), (.ratio // "-")]
           | map(tostring) | join(" ")' "$WORK/results.jsonl"
  } | awk '{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR; f = NF }
           END { for (r = 1; r <= n; r++) { line = ""; for (i = 1; i <= f; i++) line = line sprintf("%-" w[i] + 2 "s", cell[r, i]); print line } }'
fi
# A server faster than its own raw limit means the raw measurement was disturbed (something else used CPU 0).
jq -r 'select(.ratio != null and .ratio > 1.05)
       | "warning: \(.scenario) ran at \(.ratio) x its raw limit \(.raw_limit); the raw measurement was disturbed, rerun"' \
  "$WORK/results.jsonl" >&2
if [[ -n "$RESULTS_FILE" ]]; then
  echo
  echo "Results: $RESULTS_FILE"
fi
