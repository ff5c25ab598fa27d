#!/usr/bin/env bash
# Stops a cluster started by start-postgres.sh and deletes its folder.
#   bash examples/demo/scripts/stop-postgres.sh DIR
set -euo pipefail

dir="${1:?usage: stop-postgres.sh DIR (the folder given to or named by start-postgres.sh)}"
if [[ ! -f "$dir/data/PG_VERSION" ]]; then
  echo "stop-postgres.sh: $dir holds no cluster of start-postgres.sh; nothing to stop." >&2
  exit 0
fi
bin="${PG_BIN:-}"
if [[ -z "$bin" ]]; then bin="/usr/lib/postgresql/$(cat "$dir/data/PG_VERSION")/bin"; fi
as_pg=()
if [[ "$(id -u)" == 0 ]]; then as_pg=(runuser -u postgres --); fi
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
rm -rf "$dir"
