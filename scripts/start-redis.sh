#!/usr/bin/env bash
# Starts a throwaway Redis server for the replay store's tests (or a local
# try): 127.0.0.1 only, a free port, no persistence, daemonized, with its
# pidfile and log in DIR. Prints the REDIS_URL on stdout,
# and nothing else; progress goes to stderr. Needs Debian's redis-server
# package (or REDIS_SERVER=/path/to/redis-server).
#
#   dir="$(mktemp -d)"
#   REDIS_URL="$(bash scripts/start-redis.sh "$dir")"
#   export REDIS_URL
#   ...
#   bash scripts/stop-redis.sh "$dir"
#
# DIR (optional) must be empty or missing; without it a temporary folder is made
# and named on stderr.
set -euo pipefail

dir="${1:-}"
if [[ -z "$dir" ]]; then dir="$(mktemp -d "${TMPDIR:-/tmp}/vk-redis.XXXXXX")"; fi
mkdir -p "$dir"
if [[ -n "$(ls -A "$dir")" ]]; then
  echo "start-redis.sh: $dir is not empty; give an empty or missing folder." >&2
  exit 1
fi
dir="$(cd "$dir" && pwd)"

server="${REDIS_SERVER:-}"
if [[ -z "$server" ]]; then server="$(command -v redis-server || true)"; fi
if [[ -z "$server" || ! -x "$server" ]]; then
  echo "start-redis.sh: redis-server was not found; install it (apt-get install redis-server) or set REDIS_SERVER." >&2
  exit 1
fi

port="$(node -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });")"

# No RDB snapshots, no AOF: a throwaway server keeps nothing, and writes nothing but its log.
# protected-mode stays on (the default): it binds 127.0.0.1 only anyway.
"$server" --bind 127.0.0.1 --port "$port" --dir "$dir" \
  --save '' --appendonly no \
  --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2

# Up when it answers PING; redis-cli when there is one, else the protocol by hand from node.
ping() {
  if command -v redis-cli >/dev/null 2>&1; then
    [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]]
  else
    node -e "
      const s = require('node:net').connect($port, '127.0.0.1', () => s.write('PING\r\n'));
      s.on('data', (d) => process.exit(String(d).startsWith('+PONG') ? 0 : 1));
      s.on('error', () => process.exit(1));
      setTimeout(() => process.exit(1), 1000);" 2>/dev/null
  fi
}
for _ in $(seq 1 100); do
  if ping; then
    echo "start-redis.sh: Redis running in $dir on 127.0.0.1:$port; stop it with: bash $(dirname "$0")/stop-redis.sh $dir" >&2
    echo "redis://127.0.0.1:$port"
    exit 0
  fi
  sleep 0.1
done
echo "start-redis.sh: Redis did not answer PING on 127.0.0.1:$port within 10 s; its log:" >&2
cat "$dir/redis.log" >&2 || true
if [[ -f "$dir/redis.pid" ]]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
exit 1
