#!/usr/bin/env bash
# Webhook benchmark (docs/benchmarks.md, "Webhooks"): what one webhook endpoint adds to a sign-up, and how many
# events per second one server delivers to a local receiver.
#
# Starts Plinto (target/plinto.jar, built when missing) on a fresh PostgreSQL database, pinned to CPU 0; runs
# bench/WebhookBench.java pinned to CPU 1 as the load generator and the receiver. After an unmeasured warm-up of
# both, alternates (in turning order) ROUNDS of sign-ups
# without and with one endpoint subscribed to every type (each sign-up then stores and delivers user.created and
# session.created), then replays a backlog of BACKLOG user.updated events at once and times their delivery.
#
#   bench/webhooks.sh [SECONDS_PER_ROUND=20] [ROUNDS=3] [BACKLOG=5000] [CONCURRENCY=4]
#   Environment: PLINTO_BENCH_PG (default postgresql://postgres@127.0.0.1:5432); the database
#   plinto_bench_wh_<pid> is created there and dropped at the end. Server port 18500, receiver port 18501.
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
for tool in java psql curl taskset; do command -v "$tool" >/dev/null || die "needs $tool"; done
[[ "$(nproc)" -ge 2 ]] || die "needs at least 2 CPUs"

cleanup() {
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

taskset -c 0 java -jar "$ROOT/target/plinto.jar" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
deadline=$((SECONDS + 600))
until curl -fs -o /dev/null "http://127.0.0.1:$PORT/health/ready"; do
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$WORK/server.log" >&2; die "the server exited"; }
  [[ $SECONDS -lt $deadline ]] || { tail -n 30 "$WORK/server.log" >&2; die "the server was not ready within 600 s"; }
  sleep 0.2
done

echo "# $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown) $(java -version 2>&1 | head -1)"
echo "# server on CPU 0, load and receiver on CPU 1; $SECONDS_PER_ROUND s per round, $CONCURRENCY connections"
# The command-line tool runs on the load CPU too, against the same database as the server.
taskset -c 1 java "$ROOT/bench/WebhookBench.java" "http://127.0.0.1:$PORT" "$SINK_PORT" "$SECONDS_PER_ROUND" \
  "$ROUNDS" "$CONCURRENCY" "$BACKLOG" taskset -c 1 java -jar "$ROOT/target/plinto.jar" | tee "$WORK/results.txt"

awk '
  /^signup none/ { none[++n] = $4 }
  /^signup endpoint/ { with[++e] = $4 }
  END {
    asort(none); asort(with);
    mn = none[int((n + 1) / 2)]; me = with[int((e + 1) / 2)];
    if (mn > 0) printf "sign-ups/s median: %.1f without, %.1f with one endpoint (%+.1f %%)\n", mn, me, (me - mn) / mn * 100;
  }' "$WORK/results.txt"
