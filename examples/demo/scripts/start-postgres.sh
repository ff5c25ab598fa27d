#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the demo's tests (or a local try):
# initdb in a temporary folder, a free port on 127.0.0.1 only, trust auth, one
# database. Prints the DATABASE_URL on stdout, and nothing else; progress goes
# to stderr. Needs Debian's postgresql package (or PG_BIN=/path/to/bin).
#
#   dir="$(mktemp -d)"
#   export DATABASE_URL="$(bash examples/demo/scripts/start-postgres.sh "$dir")"
#   ...
#   bash examples/demo/scripts/stop-postgres.sh "$dir"
#
# DIR (optional) must be empty or missing; without it a temporary folder is made
# and named on stderr. As root, the cluster runs as the `postgres` user.
set -euo pipefail

dir="${1:-}"
if [[ -z "$dir" ]]; then dir="$(mktemp -d "${TMPDIR:-/tmp}/vk-demo-pg.XXXXXX")"; fi
mkdir -p "$dir"
if [[ -n "$(ls -A "$dir")" ]]; then
  echo "start-postgres.sh: $dir is not empty; give an empty or missing folder." >&2
  exit 1
fi
dir="$(cd "$dir" && pwd)"

bin="${PG_BIN:-}"
if [[ -z "$bin" ]]; then
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -z "$bin" ]] && command -v pg_config >/dev/null 2>&1; then bin="$(pg_config --bindir)"; fi
fi
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
  echo "start-postgres.sh: PostgreSQL's initdb was not found; install it (apt-get install postgresql) or set PG_BIN." >&2
  exit 1
fi

# As root, PostgreSQL refuses to run: use its own system user.
as_pg=()
if [[ "$(id -u)" == 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "start-postgres.sh: running as root, but there is no 'postgres' user to run the server as." >&2
    exit 1
  fi
  chown postgres: "$dir"
  as_pg=(runuser -u postgres --)
fi

port="$(node -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });")"

"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
# fsync off: a throwaway cluster need not survive a power cut, and tests run faster.
if ! "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >&2; then
  cat "$dir/server.log" >&2
  exit 1
fi
"${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres vk_demo

echo "start-postgres.sh: PostgreSQL running in $dir on 127.0.0.1:$port; stop it with: bash $(dirname "$0")/stop-postgres.sh $dir" >&2
echo "postgres://postgres@127.0.0.1:$port/vk_demo"
