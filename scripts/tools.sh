#!/usr/bin/env bash
# Tools the project's own tests use besides the engine: Debian's chromium (the HTML report is
# checked in a real headless browser). Installs what is missing (root, Debian); never upgrades.
set -euo pipefail
. "$(dirname "$0")/lib/apt-install.sh"
if command -v chromium >/dev/null 2>&1; then echo "tools: chromium present"; exit 0; fi
apt_install tools --no-install-recommends chromium
