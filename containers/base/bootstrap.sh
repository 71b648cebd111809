#!/usr/bin/env bash
# Make debian:bookworm-slim without a registry: debootstrap from the Debian mirror, then
# `docker import`, tagged with the official name so every Dockerfile stays a plain
# `FROM debian:bookworm-slim` that also works where a registry answers.
set -euo pipefail
tag=${1:-debian:bookworm-slim}
# The mirror: DEBIAN_MIRROR, else the first Debian archive of this machine's apt sources
# (deb822 .sources or one-line .list), so a machine behind its own mirror works unchanged.
host_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($i !~ /security/) print $i; break } }' "$f"
  done
}
mirror=${DEBIAN_MIRROR:-$(host_mirror | head -n 1)}
if [ -z "$mirror" ]; then
  echo "no Debian mirror found in /etc/apt/sources.list{,.d}. fix: set DEBIAN_MIRROR=<mirror URL>." >&2
  exit 2
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  else
    echo "debootstrap is missing. fix: apt-get install debootstrap (as root), or make '$tag' available to the engine." >&2
    exit 2
  fi
fi
rootfs=$(mktemp -d /tmp/pynomaly-it-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 \
  || { echo "debootstrap failed; last lines:" >&2; tail -n 15 "$rootfs.log" >&2; exit 2; }
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | docker import -c 'CMD ["bash"]' - "$tag" >/dev/null
rm -f "$rootfs.log"
echo "bootstrapped $tag from $mirror"
