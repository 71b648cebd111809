#!/usr/bin/env bash
# Bring up a Docker engine where none answers. Never touches an engine that already runs.
#   scripts/engine.sh up    -> installs docker.io if absent (root, Debian), starts dockerd,
#                              waits until it answers; prints STARTED <pid> when it started one.
#   scripts/engine.sh down <pid> -> stops the engine this script started (by PID only).
set -euo pipefail
. "$(dirname "$0")/lib/apt-install.sh"
cmd=${1:-up}
log=${ENGINE_LOG:-/tmp/pynomaly-it-dockerd.log}

answers() { timeout 5 docker info >/dev/null 2>&1; }

case "$cmd" in
  up)
    if answers; then echo "engine: already running, left as it is"; exit 0; fi
    if ! command -v dockerd >/dev/null 2>&1; then
      echo "engine: no Docker engine answers and dockerd is not installed."
      apt_install engine docker.io
    fi
    # Output to a file and no inherited stdio: a background engine must not hold CI's output open.
    setsid dockerd >"$log" 2>&1 </dev/null &
    pid=$!
    for _ in $(seq 1 60); do
      if answers; then echo "engine: started dockerd (pid $pid), log in $log"; echo "STARTED $pid"; exit 0; fi
      if ! kill -0 "$pid" 2>/dev/null; then break; fi
      sleep 0.5
    done
    echo "engine: dockerd did not answer within 30 s; last lines of $log:" >&2
    tail -n 20 "$log" >&2 || true
    exit 2
    ;;
  down)
    pid=${2:?pid of the engine this script started}
    kill -TERM "$pid" 2>/dev/null || exit 0
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || { echo "engine: stopped (pid $pid)"; exit 0; }; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    ;;
  *) echo "usage: $0 up | down <pid>" >&2; exit 2 ;;
esac
