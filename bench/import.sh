#!/usr/bin/env bash
# Import benchmark (method and figures: docs/migration.md, "Measured").
#
# Generates N users in Clerk's CSV export format (bench/clerk-users.py), then measures with /usr/bin/time -v, each
# as a separate `bin/plinto` process (its production JVM settings):
#   1. plinto import clerk into a new, migrated PostgreSQL database;
#   2. plinto import clerk into a new embedded H2 database.
# Prints per step the elapsed time, users per second, CPU time and the peak resident memory (max RSS), and the load
# average before the run (a busy machine stretches elapsed times).
#
#   bench/import.sh [options]
#     -n, --users N           users in the file (default 1000000)
#     -b, --batch-size N      users per transaction (default 1000, the import's default)
#     -j, --java-home DIR     the JDK to run Plinto with (default $JAVA_HOME, else the java on PATH)
#     -h, --help
#   Environment: PLINTO_BENCH_PG (default postgresql://postgres@127.0.0.1:5432) is the PostgreSQL server; the
#   database plinto_import_<pid> is created there and dropped at the end.
#
# Needs Linux, python3, psql, /usr/bin/time (GNU time). Cleans up on exit, including Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
USERS=1000000
BATCH=1000
PG_BASE="${PLINTO_BENCH_PG:-postgresql://postgres@127.0.0.1:5432}"

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    -n|--users) USERS="$2"; shift 2 ;;
    -b|--batch-size) BATCH="$2"; shift 2 ;;
    -j|--java-home) export JAVA_HOME="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/import.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "bench/import.sh: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }
[[ "$USERS" =~ ^[0-9]+$ ]] || die "--users must be a whole number, not '$USERS'"
[[ -x /usr/bin/time ]] || die "needs GNU time at /usr/bin/time (Debian/Ubuntu package: time)"
command -v psql >/dev/null || die "needs psql (Debian/Ubuntu package: postgresql-client)"
command -v python3 >/dev/null || die "needs python3"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/plinto-import-bench.XXXXXX")"
DB="plinto_import_$$"
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  psql "$PG_BASE/postgres" -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$ROOT"
if [[ ! -f target/plinto.jar ]]; then
  log "building target/plinto.jar"
  ./mvnw -q -B -DskipTests package
fi

export PLINTO_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
export PLINTO_AOT=off

log "writing $USERS Clerk-format users"
python3 "$ROOT/bench/clerk-users.py" "$USERS" >"$WORK/users.csv"
FILE_MB="$(( $(stat -c %s "$WORK/users.csv") / 1024 / 1024 ))"

psql "$PG_BASE/postgres" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB" >/dev/null
PLINTO_DATABASE_URL="$PG_BASE/$DB" PLINTO_DATA_DIR="$WORK/pg-data" "$ROOT/bin/plinto" migrate >/dev/null
PLINTO_DATABASE_URL= PLINTO_DATA_DIR="$WORK/h2-data" "$ROOT/bin/plinto" migrate >/dev/null

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

measure() {
  local name="$1"; shift
  /usr/bin/time -v -o "$WORK/time-$name.txt" env "$@" >"$WORK/out-$name.txt" 2>&1 || {
    cat "$WORK/out-$name.txt" >&2
    die "$name failed"
  }
  ELAPSED_S="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }' "$WORK/time-$name.txt")"
  MAX_RSS_MB="$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$WORK/time-$name.txt")"
  CPU_S="$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 } END { printf "%.1f", s }' "$WORK/time-$name.txt")"
  sed -n '$p' "$WORK/out-$name.txt" >&2
}

RESULTS=()
record() {
  RESULTS+=("$(printf '%-26s %9s s %10.0f %9s s %8s MB' "$1" "$ELAPSED_S" "$(echo "$USERS / $ELAPSED_S" | bc -l)" \
    "$CPU_S" "$MAX_RSS_MB")")
}

log "plinto import clerk into PostgreSQL"
measure import-pg PLINTO_DATABASE_URL="$PG_BASE/$DB" PLINTO_DATA_DIR="$WORK/pg-data" \
  "$ROOT/bin/plinto" import clerk "$WORK/users.csv" --batch-size "$BATCH"
record "import (PostgreSQL)"
COUNT_PG="$(psql "$PG_BASE/$DB" -Atc "select count(*) from users")"
[[ "$COUNT_PG" -eq "$USERS" ]] || die "PostgreSQL holds $COUNT_PG users, not $USERS"

log "plinto import clerk into embedded H2"
measure import-h2 PLINTO_DATABASE_URL= PLINTO_DATA_DIR="$WORK/h2-data" \
  "$ROOT/bin/plinto" import clerk "$WORK/users.csv" --batch-size "$BATCH"
record "import (embedded H2)"

echo
echo "Plinto import benchmark $(date -u +%Y-%m-%dT%H:%MZ): $USERS Clerk users ($FILE_MB MB CSV), batches of $BATCH;" \
  "$(java -version 2>&1 | head -n 1); $(nproc) CPUs"
echo "load average before the run: $LOAD_BEFORE"
printf '%-26s %11s %10s %11s %11s\n' "step" "elapsed" "users/s" "CPU time" "peak RSS"
printf '%s\n' "${RESULTS[@]}"
