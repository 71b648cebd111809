#!/usr/bin/env bash
# Tools the project's own tests use besides the engine: Debian's chromium (the HTML report is
# checked in a real headless browser). Installs what is missing (root, Debian); never upgrades.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then echo "tools: chromium present"; exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "tools: ${missing[*]} not installed." >&2
  echo "fix: install it (on Debian as root: apt-get install ${missing[*]}), or put it on PATH." >&2
  exit 2
fi
t0=$(date +%s)
echo "tools: installing ${missing[*]} from Debian (apt-get)"
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "tools: installed in $(( $(date +%s) - t0 )) s"
