#!/usr/bin/env bash
# Webhook kill test (docs/webhooks.md, "Delivery"): the server is killed with SIGKILL in the middle of a batch and
# started again; every event still arrives at least once, verified with the Standard Webhooks Java library, and no
# event arrives that Plinto did not create.
#
# Starts Plinto (target/plinto.jar, built when missing) on a fresh PostgreSQL database with one endpoint for
# user.created on a slow receiver (bench/WebhookKill.java answers each request after ANSWER_MS), signs up N users,
# kills the server while the receiver is answering a delivery with events still undelivered, starts it again and
# waits for the rest. Deliveries the dead server had claimed are sent again when their lease ends (with
# PLINTO_WEBHOOKS_TIMEOUT=2s at most 11 × 2 s + 30 s after the claim), so a run takes a few minutes.
#
#   bench/webhook-kill.sh [N=40] [ANSWER_MS=400]
#   Environment: PLINTO_BENCH_PG (default postgresql://postgres@127.0.0.1:5432), PLINTO_KILL_PORT (server port,
#   default 18520; the receiver uses the next one), PLINTO_KILL_DB (the database created there and dropped at the
#   end, default plinto_kill_<pid>). Exits 1 when an event is lost or invented.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-40}"
ANSWER_MS="${2:-400}"
PG_BASE="${PLINTO_BENCH_PG:-postgresql://postgres@127.0.0.1:5432}"
PORT="${PLINTO_KILL_PORT:-18520}"
SINK_PORT=$((PORT + 1))
DB_NAME="${PLINTO_KILL_DB:-plinto_kill_$$}"
WEBHOOKS_JAR="${PLINTO_STANDARDWEBHOOKS_JAR:-$HOME/.m2/repository/com/standardwebhooks/standardwebhooks/1.1.0/standardwebhooks-1.1.0.jar}"
WORK="$(mktemp -d)"
SERVER_PID=""


die() { echo "bench/webhook-kill.sh: $*" >&2; exit 1; }
for tool in java psql curl; do command -v "$tool" >/dev/null || die "needs $tool"; done
[[ -f "$WEBHOOKS_JAR" ]] || die "needs the Standard Webhooks jar at $WEBHOOKS_JAR (./mvnw test-compile fetches it)"

cleanup() {
  [[ -z "$SERVER_PID" ]] || { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
  [[ -z "${DRIVER_PID:-}" ]] || { kill "$DRIVER_PID" 2>/dev/null || true; }
  psql -q "$PG_BASE/postgres" -c "drop database if exists $DB_NAME with (force)" >/dev/null 2>&1 || true
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
export PLINTO_WEBHOOKS_TIMEOUT=2s
export PLINTO_LOG_FORMAT=text

start_server() {
  java -jar "$ROOT/target/plinto.jar" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + 300))
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/health/ready"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$WORK/server.log" >&2; die "the server exited"; }
    [[ $SECONDS -lt $deadline ]] || { tail -n 30 "$WORK/server.log" >&2; die "the server was not ready within 300 s"; }
    sleep 0.2
  done
}

start_server
added="$(java -jar "$ROOT/target/plinto.jar" webhooks add "http://127.0.0.1:$SINK_PORT/hooks" --events user.created 2>&1)" \
  || die "webhooks add failed: $added"
grep -o 'whsec_[A-Za-z0-9+/=]*' <<<"$added" >"$WORK/secret" || die "no secret in: $added"

coproc DRIVER { exec java -cp "$WEBHOOKS_JAR" "$ROOT/bench/WebhookKill.java" "http://127.0.0.1:$PORT" "$SINK_PORT" \
  "$N" "$WORK/secret" "$WORK/emails" "$WORK/events" "$ANSWER_MS" 2>"$WORK/driver.err"; }
exec {TO_DRIVER}>&"${DRIVER[1]}" {FROM_DRIVER}<&"${DRIVER[0]}"
step() {
  local reply
  echo "$1" >&"$TO_DRIVER"
  read -r -t 900 reply <&"$FROM_DRIVER" || { cat "$WORK/driver.err" >&2; die "no answer from the driver to '$1'"; }
  [[ "$reply" != FAIL* ]] || { tail -n 20 "$WORK/server.log" >&2; die "${reply#FAIL }"; }
  echo "$reply"
}

echo "# $(date -u +%FT%TZ) commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown) $(java -version 2>&1 | head -1)"
step receive >/dev/null
echo "signed up $N users: $(step signup)"
reply="$(step midbatch)"
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
echo "killed the server (SIGKILL) while a delivery was being answered; events arrived before: ${reply#kill }"
SERVER_PID=""
start_server
echo "restarted"
psql -At "$PLINTO_DATABASE_URL" -c "select id from webhook_events where type = 'user.created'" >"$WORK/events"
result="$(step 'verify 300')"
echo "every event arrived at least once, none invented: ${result#ok }"
