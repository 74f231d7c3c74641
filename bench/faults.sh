#!/usr/bin/env bash
# Plinto under faults (docs/operations.md, "What happens when a component fails").
#
# Starts, on loopback and in a temporary directory: a PostgreSQL cluster of its own (initdb/pg_ctl, as the postgres
# user when run as root), a Redis of its own, three Plinto nodes (target/plinto.jar) and nginx with the shipped
# deploy/nginx/plinto.conf in front of them (only upstream addresses, listen ports and certificate paths replaced).
# bench/FaultLoad.java drives sign-ups, sign-ins, refresh chains and /v1/me through nginx at a steady rate while
# it injects one fault at a time, each between quiet periods:
#   kill -9 of one node (restarted after 10 s), SIGSTOP of one node for 10 s, Redis stopped for 15 s,
#   PostgreSQL restarted, PostgreSQL stopped for 10 s.
# It prints a Markdown table: requests by status, error window, p99 during and after, acknowledged writes lost and
# sessions wrongly revoked per fault. Exit 1 when a write was lost, a session revoked, or the Redis outage caused
# a 5xx.
#
#   bench/faults.sh [--short]
#     --short   each fault once with 10 s quiet periods (a few minutes; what .ci/run runs). Without it: 30 s quiet
#               periods and each fault three times.
#   Environment: PLINTO_FAULTS_PORT_BASE (default 18400: nodes on +1..+3, nginx on +43 (https) and +80 (http)),
#   PLINTO_FAULTS_PG_PORT (default 15433), PLINTO_FAULTS_REDIS_PORT (default 16380).
#
# Needs Linux, a JDK 17+, nginx, openssl, redis-server, initdb/pg_ctl and curl. Builds target/plinto.jar when it is
# missing. Stops everything it started and removes its directory on exit, including Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHORT=false
[[ "${1:-}" == "--short" ]] && SHORT=true

BASE="${PLINTO_FAULTS_PORT_BASE:-18400}"
PG_PORT="${PLINTO_FAULTS_PG_PORT:-15433}"
REDIS_PORT="${PLINTO_FAULTS_REDIS_PORT:-16380}"
HTTPS_PORT=$((BASE + 43))
HTTP_PORT=$((BASE + 80))
JAR="$ROOT/target/plinto.jar"

need() { command -v "$1" >/dev/null || [[ -x "$2" ]] || { echo "faults.sh: $1 is not installed" >&2; exit 2; }; }
need nginx /usr/sbin/nginx
need redis-server /usr/bin/redis-server
need openssl /usr/bin/openssl
need curl /usr/bin/curl
PG_BIN="$(dirname "$(command -v pg_ctl 2>/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl | tail -n 1)")"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -f "$JAR" ]] || (cd "$ROOT" && ./mvnw -B -ntp -q -DskipTests package)

WORK="$(mktemp -d /tmp/plinto-faults.XXXXXX)"
chmod 755 "$WORK"
BIN="$WORK/bin"
mkdir -p "$BIN" "$WORK/logs"

cleanup() {
  set +e
  for n in 1 2 3; do
    [[ -f "$WORK/node-$n.pid" ]] && { kill -CONT "$(cat "$WORK/node-$n.pid")"; kill -9 "$(cat "$WORK/node-$n.pid")"; } 2>/dev/null
  done
  [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  [[ -f "$WORK/redis.pid" ]] && kill -9 "$(cat "$WORK/redis.pid")" 2>/dev/null
  "$BIN/pg" stop >/dev/null 2>&1
  if [[ "${KEEP_LOGS:-}" != "" ]]; then cp -r "$WORK/logs" "$KEEP_LOGS"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# PostgreSQL: a cluster of its own, so that restarting and stopping it disturbs nothing else.
cat > "$BIN/pg" <<EOF
#!/usr/bin/env bash
# pg start|stop|restart: the harness's own PostgreSQL cluster.
set -e
cmd=("$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/logs/postgresql.log" -w -t 60 -m fast)
case "\$1" in
  start) opts=(-o "-p $PG_PORT -k $WORK/pgsock -c listen_addresses=127.0.0.1 -c max_connections=60") ;;
  restart) opts=(-o "-p $PG_PORT -k $WORK/pgsock -c listen_addresses=127.0.0.1 -c max_connections=60") ;;
  *) opts=() ;;
esac
if [[ \$(id -u) == 0 ]]; then runuser -u postgres -- "\${cmd[@]}" "\${opts[@]}" "\$1" >/dev/null; else "\${cmd[@]}" "\${opts[@]}" "\$1" >/dev/null; fi
EOF
mkdir -p "$WORK/pg" "$WORK/pgsock"
touch "$WORK/logs/postgresql.log"
if [[ $(id -u) == 0 ]]; then
  chown postgres "$WORK/pg" "$WORK/pgsock" "$WORK/logs/postgresql.log"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" -A trust -U postgres >/dev/null
else
  "$PG_BIN/initdb" -D "$WORK/pg" -A trust -U postgres >/dev/null
fi
chmod +x "$BIN/pg"
"$BIN/pg" start

# Redis of its own.
cat > "$BIN/redis" <<EOF
#!/usr/bin/env bash
# redis start|stop: the harness's own Redis (stop is kill -9: a crash, not a clean shutdown).
set -e
if [[ "\$1" == stop ]]; then kill -9 "\$(cat "$WORK/redis.pid")"; exit 0; fi
redis-server --port $REDIS_PORT --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \\
  >>"$WORK/logs/redis.log" 2>&1 &
echo \$! > "$WORK/redis.pid"
for i in \$(seq 1 100); do redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 && exit 0; sleep 0.1; done
echo "redis did not start" >&2; exit 1
EOF
chmod +x "$BIN/redis"
"$BIN/redis" start

# Three Plinto nodes.
MASTER_KEY="$(openssl rand -base64 32)"
cat > "$BIN/node" <<EOF
#!/usr/bin/env bash
# node start|kill|stop|cont N: Plinto node N (1-3) on port $BASE+N.
set -e
n="\$2"; port=\$(($BASE + n))
case "\$1" in
  kill) kill -9 "\$(cat "$WORK/node-\$n.pid")"; exit 0 ;;
  stop) kill -STOP "\$(cat "$WORK/node-\$n.pid")"; exit 0 ;;
  cont) kill -CONT "\$(cat "$WORK/node-\$n.pid")"; exit 0 ;;
esac
export PLINTO_PORT=\$port PLINTO_DATA_DIR="$WORK/data-\$n" PLINTO_MASTER_KEY="$MASTER_KEY"
export PLINTO_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres" PLINTO_DB_POOL_SIZE=5
export PLINTO_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" PLINTO_ISSUER="https://127.0.0.1:$HTTPS_PORT"
export PLINTO_TRUSTED_PROXIES=127.0.0.1 PLINTO_API_DOCS=off PLINTO_ACCESS_TOKEN_TTL=1h
# A client that lost the answer to a refresh retries it with the same token (the load generator does).
export PLINTO_REFRESH_REUSE_GRACE=30s
# The harness measures availability, not hashing or Plinto's own limits (all load comes from one address).
export PLINTO_ARGON2_MEMORY_KIB=1024 PLINTO_ARGON2_ITERATIONS=1
export PLINTO_RATE_LIMIT_SIGN_IN=100000/1m PLINTO_RATE_LIMIT_SIGN_UP=100000/1m PLINTO_RATE_LIMIT_REFRESH=100000/1m
java -XX:+UseSerialGC -Xmx192m -XX:TieredStopAtLevel=1 -jar "$JAR" >>"$WORK/logs/node-\$n.log" 2>&1 &
echo \$! > "$WORK/node-\$n.pid"
for i in \$(seq 1 1200); do
  curl -fs "http://127.0.0.1:\$port/health/ready" >/dev/null 2>&1 && exit 0
  kill -0 "\$(cat "$WORK/node-\$n.pid")" 2>/dev/null || { echo "node \$n exited" >&2; tail -20 "$WORK/logs/node-\$n.log" >&2; exit 1; }
  sleep 0.1
done
echo "node \$n not ready after 120 s" >&2; exit 1
EOF
chmod +x "$BIN/node"
echo "faults.sh: starting PostgreSQL :$PG_PORT, Redis :$REDIS_PORT, nodes :$((BASE + 1))-$((BASE + 3)), nginx :$HTTPS_PORT" >&2
"$BIN/node" start 1                       # migrates the database
"$BIN/node" start 2 & "$BIN/node" start 3 & wait

# nginx with the shipped configuration.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
  >/dev/null 2>&1
sed -e "s|server plinto-a:8080 max_fails=3 fail_timeout=10s;|server 127.0.0.1:$((BASE + 1)) max_fails=3 fail_timeout=10s;\n    server 127.0.0.1:$((BASE + 3)) max_fails=3 fail_timeout=10s;|" \
    -e "s|server plinto-b:8080|server 127.0.0.1:$((BASE + 2))|" \
    -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" -e "/listen \[::\]:80;/d" \
    -e "s|listen 443 ssl|listen 127.0.0.1:$HTTPS_PORT ssl|" -e "/listen \[::\]:443 ssl/d" \
    -e "s|/etc/letsencrypt/live/auth.example.com/fullchain.pem|$WORK/cert.pem|" \
    -e "s|/etc/letsencrypt/live/auth.example.com/privkey.pem|$WORK/key.pem|" \
    "$ROOT/deploy/nginx/plinto.conf" > "$WORK/plinto.conf"
grep -q "server 127.0.0.1:$((BASE + 3))" "$WORK/plinto.conf" || { echo "faults.sh: nginx upstreams not replaced" >&2; exit 2; }
cat > "$WORK/nginx.conf" <<EOF
$([[ $(id -u) == 0 ]] && echo "user root;")
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/nginx-error.log warn;
events { worker_connections 512; }
http {
  client_body_temp_path $WORK/nginx-body; proxy_temp_path $WORK/nginx-proxy; fastcgi_temp_path $WORK/nginx-fastcgi;
  uwsgi_temp_path $WORK/nginx-uwsgi; scgi_temp_path $WORK/nginx-scgi;
  access_log off;
  include $WORK/plinto.conf;
}
EOF
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf"
for i in $(seq 1 100); do curl -ksf "https://127.0.0.1:$HTTPS_PORT/health/ready" >/dev/null && break; sleep 0.1; done

QUIET=30; ROUNDS=3
if $SHORT; then QUIET=10; ROUNDS=1; fi
ARGS=("base=https://127.0.0.1:$HTTPS_PORT" "direct=http://127.0.0.1:$((BASE + 1))" "quiet=$QUIET" "signups=0.8")
i=0
fault() { i=$((i + 1)); ARGS+=("fault$i.name=$1" "fault$i.start=$2" "fault$i.hold=$3" "fault$i.end=$4" "fault$i.no5xx=$5"); }
for round in $(seq 1 $ROUNDS); do
  fault "node killed (kill -9), restarted after 10 s" "$BIN/node kill 2" 10 "$BIN/node start 2" false
  fault "node stopped (SIGSTOP) for 10 s" "$BIN/node stop 3" 10 "$BIN/node cont 3" false
  fault "Redis stopped for 15 s" "$BIN/redis stop" 15 "$BIN/redis start" true
  fault "PostgreSQL restarted" "$BIN/pg restart" 0 true false
  fault "PostgreSQL stopped for 10 s" "$BIN/pg stop" 10 "$BIN/pg start" false
done

java "$ROOT/bench/FaultLoad.java" "${ARGS[@]}"
