#!/bin/sh
# First start: the cluster initialised at build is copied into the (empty, tmpfs) data directory;
# the role and database named by the environment are made in single-user mode, before the
# server listens, so nothing reaches it before it is ready (as upstream's image promises).
set -eu
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
  echo "error: POSTGRES_PASSWORD is not set. Set it, or POSTGRES_HOST_AUTH_METHOD=trust for a passwordless server." >&2
  exit 1
fi
# SQL literals and identifiers: double the quote character.
literal() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }
ident() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  cp -a "$PGTEMPLATE/." "$PGDATA/"
  echo "host all all all ${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >> "$PGDATA/pg_hba.conf"
  {
    if [ "$user" = postgres ]; then
      echo "ALTER ROLE postgres PASSWORD $(literal "${POSTGRES_PASSWORD:-}");"
    else
      echo "CREATE ROLE $(ident "$user") SUPERUSER LOGIN PASSWORD $(literal "${POSTGRES_PASSWORD:-}");"
    fi
    if [ "$db" != postgres ]; then echo "CREATE DATABASE $(ident "$db") OWNER $(ident "$user");"; fi
  } | postgres --single -D "$PGDATA" -c listen_addresses='' postgres >/dev/null
  echo "PostgreSQL init process complete; ready for start up."
fi
if [ "${1:-}" = postgres ]; then shift; exec postgres "$@"; fi
exec "$@"
