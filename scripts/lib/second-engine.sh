#!/usr/bin/env bash
# A second, throwaway Docker engine beside the main one (root), for testing remote engines.
#   scripts/lib/second-engine.sh up [dir]   -> starts dockerd with all its state under dir (a new
#                                              temp dir when omitted) and prints, one a line:
#                                                DIR=<dir>  PID=<dockerd pid>
#                                                TCP=tcp://127.0.0.1:<port>  UNIX=unix://<dir>/docker.sock
#                                              (also written to <dir>/env); log in <dir>/dockerd.log.
#   scripts/lib/second-engine.sh down <dir> -> stops that dockerd (by its PID, from <dir>/env),
#                                              waits for it and its containerd, removes <dir>.
#   SECOND_ENGINE_TLS=1 ... up             -> the TCP listener with TLS and client certificates:
#                                              also prints CERTS=<dir>/certs (DOCKER_CERT_PATH, with
#                                              DOCKER_TLS_VERIFY=1).
#   scripts/lib/second-engine.sh load <dir> <image ref>... -> copies images from the main engine
#                                              into it (docker save | docker load, no registry).
# Example: eval "$(scripts/lib/second-engine.sh up)"; DOCKER_HOST=$TCP docker info; scripts/lib/second-engine.sh down "$DIR"
#
# Why each setting: the main engine (socket /var/run/docker.sock, docker0, its iptables chains)
# must never be touched. Own data/exec roots, pidfile, sockets, containerd (started by dockerd
# under the exec root, its own namespace) and config file. --iptables=false: with iptables on,
# dockerd deletes and recreates the DOCKER chains at start, the main engine's rules with them.
# Without them the engine publishes ports with docker-proxy, which works on loopback, but the
# host's FORWARD policy (DROP, set by the main engine) also filters bridged traffic between this
# engine's containers (br_netfilter): one ACCEPT rule for this engine's own address pool, in
# DOCKER-USER (the chain Docker leaves to the admin), inserted at up and deleted at down. The
# default bridge is a bridge of its own (docker0 is the main engine's), in that pool too.
# Without NAT its containers reach nothing outside, so it cannot build the images (apt-get):
# load them. It shares /etc/docker/key.json, hence the main engine's `docker info` ID.
set -euo pipefail

cmd=${1:-}

# A pool no main-engine network uses (those are 172.17-31.x and 192.168.x by default).
POOL_BASE=${SECOND_ENGINE_POOL:-10.213}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# A slot (third octet, bridge name) no other second engine holds: two can run at once.
free_slot() {
  local h i slot
  h=$(printf '%s' "$1" | cksum | awk '{print $1}')
  for i in $(seq 0 199); do
    slot=$(((h + i) % 200 + 20))
    ip link show "pit2br$slot" >/dev/null 2>&1 || { echo "$slot"; return; }
  done
  return 1
}

# The FORWARD exception of this engine's pool (see above); $1 = -I (insert), -C (check), -D.
rule() { iptables "$1" DOCKER-USER -s "$2" -d "$2" -j ACCEPT; }

# A CA, a server certificate for 127.0.0.1 and a client certificate, valid for a day.
make_certs() {
  local d=$1
  mkdir -p "$d"
  (
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=pit2-ca -keyout ca-key.pem -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server-key.pem -out server.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 1 -extfile server.ext -out server-cert.pem
    openssl req -newkey rsa:2048 -nodes -subj /CN=client -keyout key.pem -out client.csr
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 1 -extfile client.ext -out cert.pem
  ) >/dev/null 2>&1
}

case "$cmd" in
  up)
    dir=${2:-$(mktemp -d /tmp/pit2-XXXXXX)}
    mkdir -p "$dir/data" "$dir/exec"
    dir=$(cd "$dir" && pwd)
    # Unix socket paths are limited to 107 bytes; containerd's lies deepest under the exec root.
    if [ ${#dir} -gt 60 ]; then echo "second-engine: $dir is too long for socket paths" >&2; exit 2; fi
    slot=$(free_slot "$dir")
    subnet="$POOL_BASE.$slot.0/24"
    # The default bridge: 10.213.<slot>.0/28 (first /28 of the /24), user networks /28s after it.
    bridge="pit2br$slot"
    port=$(free_port)
    write_env() {
      printf '%s\n' "DIR=$dir" "PID=${pid:-}" "TCP=tcp://127.0.0.1:$port" "UNIX=unix://$dir/docker.sock" \
        "BRIDGE=${made:-}" "SUBNET=$subnet" >"$dir/env"
      if [ -n "${certs:-}" ]; then echo "CERTS=$certs" >>"$dir/env"; fi
    }
    # Written before anything is created, so that down can undo a half-done up.
    write_env
    trap '"$0" down "$dir" >&2 || true' ERR
    ip link add name "$bridge" type bridge
    made=$bridge
    write_env
    ip addr add "$POOL_BASE.$slot.1/28" dev "$bridge"
    ip link set "$bridge" up
    if iptables -nL DOCKER-USER >/dev/null 2>&1; then
      rule -C "$subnet" 2>/dev/null || rule -I "$subnet"
    fi
    echo '{}' >"$dir/daemon.json"
    tls=()
    tcp_check=(docker -H "tcp://127.0.0.1:$port")
    if [ "${SECOND_ENGINE_TLS:-}" = 1 ]; then
      certs=$dir/certs
      make_certs "$certs"
      write_env
      tls=(--tlsverify --tlscacert "$certs/ca.pem" --tlscert "$certs/server-cert.pem" --tlskey "$certs/server-key.pem")
      tcp_check=(env DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$certs" docker -H "tcp://127.0.0.1:$port")
    fi
    setsid dockerd \
      --config-file "$dir/daemon.json" \
      --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
      -H "unix://$dir/docker.sock" -H "tcp://127.0.0.1:$port" \
      --containerd-namespace pit2 --containerd-plugins-namespace pit2-plugins \
      --bridge "$bridge" --iptables=false --ip-forward=false --ip-masq=false \
      --default-address-pool "base=$subnet,size=28" "${tls[@]}" \
      >"$dir/dockerd.log" 2>&1 </dev/null &
    pid=$!
    write_env
    trap - ERR
    for _ in $(seq 1 120); do
      if timeout 5 "${tcp_check[@]}" version >/dev/null 2>&1 &&
        timeout 5 docker -H "unix://$dir/docker.sock" version >/dev/null 2>&1; then
        cat "$dir/env"
        exit 0
      fi
      if ! kill -0 "$pid" 2>/dev/null; then break; fi
      sleep 0.25
    done
    echo "second-engine: dockerd did not answer within 30 s; last lines of $dir/dockerd.log:" >&2
    tail -n 20 "$dir/dockerd.log" >&2 || true
    "$0" down "$dir" >&2 || true
    exit 2
    ;;
  down)
    dir=${2:?the dir given by up}
    [ -f "$dir/env" ] || { echo "second-engine: no $dir/env" >&2; exit 2; }
    # shellcheck disable=SC1091
    . "$dir/env"
    # Its containerd's PID, to wait for it too (dockerd stops it on a clean exit).
    cpid=$(cat "$dir/exec/containerd/containerd.pid" 2>/dev/null || true)
    if [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null; then
      for _ in $(seq 1 120); do kill -0 "$PID" 2>/dev/null || break; sleep 0.25; done
      kill -KILL "$PID" 2>/dev/null || true
    fi
    if [ -n "$cpid" ]; then
      for _ in $(seq 1 40); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.25; done
      kill -KILL "$cpid" 2>/dev/null || true
    fi
    if rule -C "$SUBNET" 2>/dev/null; then rule -D "$SUBNET"; fi
    if [ -n "$BRIDGE" ] && ip link show "$BRIDGE" >/dev/null 2>&1; then ip link delete "$BRIDGE"; fi
    # Mounts an engine leaves behind when killed (overlay, netns, shm) would block rm.
    { grep -o " $dir/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$dir"
    echo "second-engine: stopped (pid $PID), $dir removed"
    ;;
  load)
    dir=${2:?the dir given by up}
    shift 2
    # shellcheck disable=SC1091
    . "$dir/env"
    docker -H unix:///var/run/docker.sock save "$@" | docker -H "$UNIX" load -q
    ;;
  *)
    echo "usage: $0 up [dir] | down <dir> | load <dir> <image>..." >&2
    exit 2
    ;;
esac
