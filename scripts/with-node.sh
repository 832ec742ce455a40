#!/usr/bin/env sh
# For shells: the same as `node scripts/with-node.mjs …` (runs the arguments on Node >= 22; see there).
exec node "$(dirname "$0")/with-node.mjs" "$@"
