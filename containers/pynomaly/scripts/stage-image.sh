#!/usr/bin/env bash
# Prepares the service image's build context in the folder given as $1 (default
# containers/pynomaly/.image/); a private folder per build lets two runs stage at once:
# dist/ (tsc of src), package.json, its package-lock.json, Dockerfile, .dockerignore and production
# node_modules/. Then: docker build --build-arg NODE_IMAGE=<node runtime image> containers/pynomaly/.image
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stage="${1:-$here/.image}"
cd "$here"
rm -rf "$stage"
mkdir -p "$stage"
npx tsc -p tsconfig.build.json --outDir "$stage/dist"
find "$stage/dist" -name '*.map' -delete
cp package.json Dockerfile .dockerignore "$stage/"
# The service is a workspace of the root project, whose one lockfile holds its packages: its own
# part of it, re-rooted, lets it install alone here.
(cd "$here/../.." && npx tsx src/orchestrator/images/write-workspace-lock.ts containers/pynomaly "$stage/package-lock.json")
# Production dependencies only, from the lockfile; offline first (the npm cache usually has them).
if ! npm ci --omit=dev --prefix "$stage" --no-audit --no-fund --offline --ignore-scripts >/dev/null 2>&1; then
  npm ci --omit=dev --prefix "$stage" --no-audit --no-fund --ignore-scripts >/dev/null
fi
echo "staged $stage ($(du -sh "$stage" | cut -f1))"
