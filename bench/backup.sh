#!/usr/bin/env bash
# Backup and restore benchmark (method and figures: docs/backup.md, "Measured").
#
# Creates a PostgreSQL database, migrates it, fills audit_events with N rows of realistic width through SQL
# (generate_series), then measures with /usr/bin/time -v, each as a separate `bin/plinto` process (its production
# JVM settings, 128 MB heap):
#   1. plinto backup  from that database into one encrypted file (PLINTO_BACKUP_KEY);
#   2. plinto restore of the file into a new, empty PostgreSQL database;
#   3. plinto restore of the file into a new embedded H2 database.
# Prints rows, file size, and per step the elapsed time, the CPU time (user + system) and share of one CPU, and the
# peak resident memory (max RSS); also the load average before the run (a busy machine stretches elapsed times).
#
#   bench/backup.sh [options]
#     -n, --rows N            rows in audit_events (default 1000000)
#     -j, --java-home DIR     the JDK to run Plinto with (default $JAVA_HOME, else the java on PATH)
#     -o, --json              also append one JSON object per step to bench/results/backup-<timestamp>.jsonl
#     -h, --help
#   Environment: PLINTO_BENCH_PG (default postgresql://postgres@127.0.0.1:5432) is the PostgreSQL server; the
#   databases plinto_backup_<pid>_{src,dst} are created there and dropped at the end.
#
# Needs Linux, psql, /usr/bin/time (GNU time), jq for --json. Cleans up on exit, including Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS=1000000
JSON=false
PG_BASE="${PLINTO_BENCH_PG:-postgresql://postgres@127.0.0.1:5432}"

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    -n|--rows) ROWS="$2"; shift 2 ;;
    -j|--java-home) export JAVA_HOME="$2"; shift 2 ;;
    -o|--json) JSON=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/backup.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "bench/backup.sh: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }
[[ "$ROWS" =~ ^[0-9]+$ ]] || die "--rows must be a whole number, not '$ROWS'"
[[ -x /usr/bin/time ]] || die "needs GNU time at /usr/bin/time (Debian/Ubuntu package: time)"
command -v psql >/dev/null || die "needs psql (Debian/Ubuntu package: postgresql-client)"
! $JSON || command -v jq >/dev/null || die "--json needs jq"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/plinto-backup-bench.XXXXXX")"
SRC="plinto_backup_$$_src"
DST="plinto_backup_$$_dst"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for db in "$SRC" "$DST"; do
    psql "$PG_BASE/postgres" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
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
export PLINTO_BACKUP_KEY="$(head -c 32 /dev/urandom | base64)"
export PLINTO_AOT=off
unset PLINTO_BACKUP_PASSPHRASE PLINTO_BACKUP_DIR

psql "$PG_BASE/postgres" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $SRC" -c "CREATE DATABASE $DST" >/dev/null
PLINTO_DATABASE_URL="$PG_BASE/$SRC" PLINTO_DATA_DIR="$WORK/src-data" "$ROOT/bin/plinto" migrate >/dev/null

log "filling audit_events with $ROWS rows"
psql "$PG_BASE/$SRC" -q -v ON_ERROR_STOP=1 <<SQL
insert into audit_events (id, type, occurred_at, user_id, session_id, ip, user_agent, detail)
select 'evt_' || lpad(to_hex(g), 26, '0'),
       (array['sign_in.succeeded','sign_in.failed','sign_up','sign_out','session.revoked'])[1 + g % 5],
       timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second' + (g % 997) * interval '1 microsecond',
       'usr_' || lpad(to_hex(g % 100000), 26, '0'),
       case when g % 7 = 0 then null else 'ses_' || lpad(to_hex(g % 300000), 26, '0') end,
       '203.0.113.' || (g % 250),
       'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 #' || g,
       case when g % 3 = 0 then null else 'detail ' || g end
from generate_series(1, $ROWS) g;
analyze audit_events;
SQL
SRC_SIZE="$(psql "$PG_BASE/$SRC" -Atc "select pg_database_size(current_database())")"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

# Runs bin/plinto under /usr/bin/time -v; sets ELAPSED_S and MAX_RSS_MB.
measure() {
  local name="$1"; shift
  /usr/bin/time -v -o "$WORK/time-$name.txt" env "$@" >"$WORK/out-$name.txt" 2>&1 || {
    cat "$WORK/out-$name.txt" >&2
    die "$name failed"
  }
  ELAPSED_S="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }' "$WORK/time-$name.txt")"
  MAX_RSS_MB="$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$WORK/time-$name.txt")"
  CPU_PCT="$(awk -F': ' '/Percent of CPU this job got/ { gsub("%", "", $2); print $2 }' "$WORK/time-$name.txt")"
  CPU_S="$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 } END { printf "%.1f", s }' "$WORK/time-$name.txt")"
  sed -n '$p' "$WORK/out-$name.txt" >&2
}

RESULTS=()
record() {
  local line
  line="$(printf '%-24s %9s s %9s s %6s %% %8s MB' "$1" "$ELAPSED_S" "$CPU_S" "$CPU_PCT" "$MAX_RSS_MB")"
  RESULTS+=("$line")
  if $JSON; then
    mkdir -p "$ROOT/bench/results"
    jq -cn --arg step "$1" --arg run "$STAMP" --argjson rows "$ROWS" --argjson s "$ELAPSED_S" --argjson rss "$MAX_RSS_MB" \
      --argjson cpu "${CPU_PCT:-0}" --argjson cpu_s "$CPU_S" --argjson bytes "${BACKUP_BYTES:-0}" \
      '{run: $run, scenario: "backup", step: $step, rows: $rows, elapsed_s: $s, cpu_s: $cpu_s, cpu_pct: $cpu,
        max_rss_mb: $rss, backup_bytes: $bytes}' >>"$ROOT/bench/results/backup-$STAMP.jsonl"
  fi
}

log "plinto backup"
measure backup PLINTO_DATABASE_URL="$PG_BASE/$SRC" PLINTO_DATA_DIR="$WORK/src-data" \
  "$ROOT/bin/plinto" backup --out "$WORK/plinto.backup"
BACKUP_BYTES="$(stat -c %s "$WORK/plinto.backup")"
record "backup (PostgreSQL)"

log "plinto restore into an empty PostgreSQL database"
measure restore-pg PLINTO_DATABASE_URL="$PG_BASE/$DST" PLINTO_DATA_DIR="$WORK/dst-data" \
  "$ROOT/bin/plinto" restore --in "$WORK/plinto.backup"
record "restore (PostgreSQL)"

log "plinto restore into an empty embedded H2 database"
measure restore-h2 PLINTO_DATABASE_URL= PLINTO_DATA_DIR="$WORK/h2-data" \
  "$ROOT/bin/plinto" restore --in "$WORK/plinto.backup"
record "restore (embedded H2)"

ROWS_PG="$(psql "$PG_BASE/$DST" -Atc "select count(*) from audit_events")"
[[ "$ROWS_PG" -eq "$ROWS" ]] || die "the PostgreSQL restore holds $ROWS_PG audit events, not $ROWS"

echo
echo "Plinto backup benchmark $STAMP: $ROWS audit_events rows; source database $((SRC_SIZE / 1024 / 1024)) MB;" \
  "backup file $((BACKUP_BYTES / 1024 / 1024)) MB; $(java -version 2>&1 | head -n 1); $(nproc) CPUs"
echo "load average before the run: $LOAD_BEFORE"
printf '%-24s %11s %11s %8s %11s\n' "step" "elapsed" "CPU time" "CPU" "peak RSS"
printf '%s\n' "${RESULTS[@]}"
