#!/usr/bin/env bash
# A rolling upgrade that must not break (docs/deployment.md, "Upgrades and rollbacks").
#
# Builds the previous version from git, starts it on a new PostgreSQL database (which it migrates to its schema),
# then starts the current build (target/plinto.jar) on the same database while the previous one keeps running: the
# current build migrates the schema under the running previous node, as during a rolling update. bench/UpgradeSmoke.java
# checks that the previous node still serves everything, that the two versions accept each other's users and tokens,
# and that the previous version, restarted on the migrated database (a rollback), still works. Exit 1 when any check
# fails: a migration that is not backward compatible (it drops or renames what the previous version uses) fails here.
#
#   bench/upgrade.sh [REV]
#     REV   the previous version (a commit, tag or branch). Default: $PLINTO_UPGRADE_FROM, else the version just
#           before the newest schema change (the parent of the newest commit that added a migration), so the newest
#           migration is always checked against the code that ran before it.
#   Environment: PLINTO_UPGRADE_DATABASE (default postgresql://postgres@127.0.0.1:5432, a server where a database
#   can be created and dropped), PLINTO_UPGRADE_PORT_BASE (default 18600: previous node +1, current node +2).
#
# Needs git (with history back to REV), a JDK 17+, curl, psql. Builds target/plinto.jar when missing. Stops what it
# started, drops its database and removes its directory on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SERVER="${PLINTO_UPGRADE_DATABASE:-postgresql://postgres@127.0.0.1:5432}"
BASE="${PLINTO_UPGRADE_PORT_BASE:-18600}"
MIGRATIONS=src/main/resources/db/migration

FROM="${1:-${PLINTO_UPGRADE_FROM:-}}"
if [[ -z "$FROM" ]]; then
  newest="$(git log -1 --diff-filter=A --format=%H -- "$MIGRATIONS")"
  [[ -n "$newest" ]] || { echo "upgrade.sh: no commit added a migration; give the previous version as REV" >&2; exit 2; }
  FROM="$newest^"
fi
OLD_COMMIT="$(git rev-parse --verify -q "$FROM^{commit}")" \
  || { echo "upgrade.sh: $FROM is not in this clone's history (a shallow clone?); fetch it or give REV" >&2; exit 2; }
[[ -f target/plinto.jar ]] || ./mvnw -B -ntp -q -DskipTests package

WORK="$(mktemp -d /tmp/plinto-upgrade.XXXXXX)"
DB="plinto_upgrade_$$"
PIDS=()
cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  psql -q "$SERVER/postgres" -c "drop database if exists $DB" >/dev/null 2>&1
  if [[ -n "${KEEP_LOGS:-}" ]]; then cp -r "$WORK/logs" "$KEEP_LOGS"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/logs" "$WORK/old"

echo "upgrade.sh: previous version $(git log -1 --format='%h (%cs) %s' "$OLD_COMMIT")" >&2
echo "upgrade.sh: its migrations: $(git ls-tree --name-only "$OLD_COMMIT" "$MIGRATIONS/" | xargs -n1 basename | cut -d_ -f1 | sort -V | tr '\n' ' ')" >&2
echo "upgrade.sh: current migrations: $(ls "$MIGRATIONS" | cut -d_ -f1 | sort -V | tr '\n' ' ')" >&2
git archive "$OLD_COMMIT" | tar -x -C "$WORK/old"
# The previous version's dependencies are usually in the local repository already; go online only when one is not.
(cd "$WORK/old" && { ./mvnw -B -ntp -q -o -DskipTests package >"$WORK/logs/build.log" 2>&1 \
  || ./mvnw -B -ntp -q -DskipTests package >>"$WORK/logs/build.log" 2>&1; }) \
  || { echo "upgrade.sh: the previous version did not build:" >&2; tail -30 "$WORK/logs/build.log" >&2; exit 2; }

psql -q "$SERVER/postgres" -c "create database $DB" >/dev/null
MASTER_KEY="$(openssl rand -base64 32 2>/dev/null || head -c 32 /dev/urandom | base64)"

# start NAME JAR PORT: a node, waited for until ready; its pid is appended to PIDS and written to $WORK/NAME.pid.
start() {
  local name="$1" jar="$2" port="$3"
  PLINTO_PORT="$port" PLINTO_DATA_DIR="$WORK/data-$name" PLINTO_MASTER_KEY="$MASTER_KEY" \
  PLINTO_DATABASE_URL="$SERVER/$DB" PLINTO_DB_POOL_SIZE=4 PLINTO_ISSUER="http://127.0.0.1:$BASE" \
  PLINTO_API_DOCS=off PLINTO_ARGON2_MEMORY_KIB=1024 PLINTO_ARGON2_ITERATIONS=1 \
  PLINTO_RATE_LIMIT_SIGN_IN=100000/1m PLINTO_RATE_LIMIT_SIGN_UP=100000/1m PLINTO_RATE_LIMIT_REFRESH=100000/1m \
    java -XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1 -jar "$jar" >>"$WORK/logs/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  echo "$pid" > "$WORK/$name.pid"
  for _ in $(seq 1 1800); do
    curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "upgrade.sh: the $name node exited:" >&2; tail -30 "$WORK/logs/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "upgrade.sh: the $name node was not ready after 180 s" >&2; tail -30 "$WORK/logs/$name.log" >&2; exit 1
}
smoke() {
  java "$ROOT/bench/UpgradeSmoke.java" "$@" "state=$WORK/state.properties"
}

OLD_URL="http://127.0.0.1:$((BASE + 1))"
NEW_URL="http://127.0.0.1:$((BASE + 2))"
status=0
start previous "$WORK/old/target/plinto.jar" $((BASE + 1))
smoke before "old=$OLD_URL" || status=1
start current "$ROOT/target/plinto.jar" $((BASE + 2))   # migrates the schema under the running previous node
smoke during "old=$OLD_URL" "new=$NEW_URL" || status=1
kill "$(cat "$WORK/previous.pid")"; wait "$(cat "$WORK/previous.pid")" 2>/dev/null || true
start previous-restarted "$WORK/old/target/plinto.jar" $((BASE + 1))
smoke after "old=$OLD_URL" || status=1
if [[ $status != 0 ]]; then
  echo "upgrade.sh: the previous version does not work on the migrated database (see above); logs:" >&2
  tail -n 20 "$WORK/logs/previous.log" "$WORK/logs/previous-restarted.log" >&2
fi
exit $status
