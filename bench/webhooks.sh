#!/usr/bin/env bash
# Webhook benchmark (docs/benchmarks.md, "Webhooks"): what one webhook endpoint adds to a sign-up, and how many
# events per second one server delivers to a local receiver.
#
# Starts Plinto (target/plinto.jar, built when missing) on a fresh PostgreSQL database, pinned to CPU 0; runs
# bench/WebhookBench.java pinned to CPU 1 as the load generator and the receiver. After an unmeasured warm-up of
# both, alternates (in turning order) ROUNDS of sign-ups without and with one endpoint subscribed to every type (each
# sign-up then stores and delivers user.created and session.created), each round giving sign-ups per second and the
# server's CPU milliseconds per sign-up (its deliveries included, its JIT compiler's threads left out); then replays
# a backlog of BACKLOG user.updated events at once and times their delivery.
#
#   bench/webhooks.sh [SECONDS_PER_ROUND=20] [ROUNDS=3] [BACKLOG=5000] [CONCURRENCY=4]
#   Environment: PLINTO_BENCH_PG (default postgresql://postgres@127.0.0.1:5432); the database
#   plinto_bench_wh_<pid> is created there and dropped at the end. Server port 18500, receiver port 18501.
#   PLINTO_JAVA_OPTS passes to the server's JVM (e.g. a flight recording). As in bench/run.sh, PostgreSQL's processes
#   on this machine are moved to the load CPU while the benchmark runs (as on a host with a separate database) and
#   given back their CPUs at the end; PLINTO_BENCH_PIN_DB=off leaves them alone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_ROUND="${1:-20}"
ROUNDS="${2:-3}"
BACKLOG="${3:-5000}"
CONCURRENCY="${4:-4}"
PG_BASE="${PLINTO_BENCH_PG:-postgresql://postgres@127.0.0.1:5432}"
PORT=18500
SINK_PORT=18501
DB_NAME="plinto_bench_wh_$$"
WORK="$(mktemp -d)"
SERVER_PID=""

die() { echo "bench/webhooks.sh: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }
LOAD_CPU=1
DB_CPU_MASK=""
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
for tool in java psql curl taskset; do command -v "$tool" >/dev/null || die "needs $tool"; done
[[ "$(nproc)" -ge 2 ]] || die "needs at least 2 CPUs"

cleanup() {
  unpin_database
  [[ -z "$SERVER_PID" ]] || { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
  psql -q "$PG_BASE/postgres" -c "drop database if exists $DB_NAME" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

[[ -f "$ROOT/target/plinto.jar" ]] || (cd "$ROOT" && ./mvnw -B -ntp -q -DskipTests package)
psql -q "$PG_BASE/postgres" -c "create database $DB_NAME" >/dev/null

export PLINTO_DATABASE_URL="$PG_BASE/$DB_NAME"
export PLINTO_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
export PLINTO_DATA_DIR="$WORK/data"
export PLINTO_PORT="$PORT"
export PLINTO_ISSUER="http://127.0.0.1:$PORT"
export PLINTO_RATE_LIMIT_SIGN_UP=1000000000/1s
export PLINTO_WEBHOOKS_ALLOW_HTTP=true
export PLINTO_WEBHOOKS_ALLOWED_NETWORKS=127.0.0.1/32
export PLINTO_LOG_FORMAT=text

# shellcheck disable=SC2086 # PLINTO_JAVA_OPTS is a list of options
taskset -c 0 java ${PLINTO_JAVA_OPTS:-} -jar "$ROOT/target/plinto.jar" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
deadline=$((SECONDS + 600))
until curl -fs -o /dev/null "http://127.0.0.1:$PORT/health/ready"; do
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$WORK/server.log" >&2; die "the server exited"; }
  [[ $SECONDS -lt $deadline ]] || { tail -n 30 "$WORK/server.log" >&2; die "the server was not ready within 600 s"; }
  sleep 0.2
done

pin_database
DB_WHERE="not moved"
[[ -z "$DB_CPU_MASK" ]] || DB_WHERE="on CPU $LOAD_CPU"
echo "# $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown) $(java -version 2>&1 | head -1)"
echo "# server on CPU 0, load and receiver on CPU 1 (PostgreSQL $DB_WHERE); $SECONDS_PER_ROUND s per round, $CONCURRENCY connections"
# The command-line tool runs on the load CPU too, against the same database as the server.
taskset -c 1 java -Dbench.serverPid="$SERVER_PID" "$ROOT/bench/WebhookBench.java" "http://127.0.0.1:$PORT" "$SINK_PORT" "$SECONDS_PER_ROUND" \
  "$ROUNDS" "$CONCURRENCY" "$BACKLOG" taskset -c 1 java -jar "$ROOT/target/plinto.jar" | tee "$WORK/results.txt"

# Medians of the rounds (the mean of the middle two for an even number), and the median of the per-round ratios:
# each round's two halves ran back to back, so their ratio is the least touched by a drift of the machine.
awk '
  function median(a,   m) { m = asort(a); return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
  /^signup none/ { none[$3] = $4; nonecpu[$3] = $5 }
  /^signup endpoint/ { with[$3] = $4; withcpu[$3] = $5 }
  END {
    for (r in none) if (r in with) { n++; rate[n] = none[r]; rate2[n] = with[r]; ratio[n] = with[r] / none[r];
      cpu[n] = nonecpu[r]; cpu2[n] = withcpu[r]; cpuratio[n] = withcpu[r] / nonecpu[r] }
    if (n == 0) exit
    mn = median(rate); me = median(rate2); cn = median(cpu); ce = median(cpu2)
    printf "sign-ups/s median: %.1f without, %.1f with one endpoint (%+.1f %%); median of the per-round ratios %+.1f %%\n",
      mn, me, (me - mn) / mn * 100, (median(ratio) - 1) * 100
    if (cn > 0) printf "server CPU ms per sign-up (JIT compiler left out) median: %.2f without, %.2f with one endpoint (%+.1f %%); median of the per-round ratios %+.1f %%\n",
      cn, ce, (ce - cn) / cn * 100, (median(cpuratio) - 1) * 100
  }' "$WORK/results.txt"
