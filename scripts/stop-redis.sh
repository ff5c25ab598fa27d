#!/usr/bin/env bash
# Stops a server started by start-redis.sh and deletes its folder.
#   bash scripts/stop-redis.sh DIR
set -euo pipefail

dir="${1:?usage: stop-redis.sh DIR (the folder given to or named by start-redis.sh)}"
pidfile="$dir/redis.pid"
if [[ ! -f "$pidfile" ]]; then
  echo "stop-redis.sh: $dir holds no server of start-redis.sh; nothing to stop." >&2
  exit 0
fi
pid="$(cat "$pidfile")"
# A stale pidfile may name another process by now: stop only a redis-server.
if [[ -r "/proc/$pid/comm" ]] && ! grep -q redis "/proc/$pid/comm"; then
  echo "stop-redis.sh: process $pid is not redis-server (a stale pidfile?); not stopping it." >&2
  rm -rf "$dir"
  exit 0
fi
# SIGTERM: with no persistence configured, Redis exits at once without saving.
if kill "$pid" 2>/dev/null; then
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "stop-redis.sh: Redis ($pid) did not stop within 5 s; killing it." >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi
rm -rf "$dir"
