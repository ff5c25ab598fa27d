#!/usr/bin/env bash
# Runs the README's first command (`npm start`, after the install) the way a new
# developer would, waits for the demo's /health, then stops it with SIGTERM and
# expects a clean exit and nothing printed but npm's banner and the demo's own
# words (no build-tool notices). Used by .ci/run on its fresh clone.
set -euo pipefail
cd "$(dirname "$0")/../../.."

port="${PORT:-$(node -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });")}"
data="$(mktemp -d)"
log="$data/start.log"
# setsid: npm, tsdown and node form one process group that can be signalled together.
PORT="$port" SQLITE_PATH="$data/demo.sqlite" setsid npm start >"$log" 2>&1 &
group=$!

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$group" 2>/dev/null; then
    echo "smoke-start: npm start exited before answering /health:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health" || { echo "smoke-start: no /health after 60 s" >&2; cat "$log" >&2; exit 1; }
echo
curl -fsS "http://127.0.0.1:$port/launcher" | grep -q '<title>' || { echo "smoke-start: /launcher is not a page" >&2; exit 1; }

kill -TERM -- "-$group"
status=0
wait "$group" || status=$?
cat "$log"
# npm's two-line banner, then only what the demo says: a build-tool notice here
# would be the first thing a newcomer reads.
noise="$(grep -vE '^(> |$)' "$log" | grep -vE '^(vk-miniapp-auth demo|  |SIGTERM: |Stopped\.)' || true)"
rm -rf "$data"
if [[ -n "$noise" ]]; then
  printf 'smoke-start: npm start printed more than the demo says:\n%s\n' "$noise" >&2
  exit 1
fi
# npm passes the signal on; the server exits 0 after closing the server and the store.
if [[ "$status" != 0 && "$status" != 143 ]]; then
  echo "smoke-start: npm start exited with $status after SIGTERM" >&2
  exit 1
fi
echo "smoke-start: npm start served /health and /launcher and stopped cleanly"
