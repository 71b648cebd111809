#!/bin/sh
# Build time: an initialised cluster in $PGTEMPLATE with the test settings. The superuser is
# `postgres` with local trust; the entrypoint adds the role, password and database at start.
set -eu
initdb -D "$PGTEMPLATE" --username=postgres --auth-local=trust --auth-host=scram-sha-256 \
  --encoding=UTF8 --locale=C.UTF-8 >/dev/null
{ echo "listen_addresses = '*'"; echo "fsync = off"; echo "synchronous_commit = off";
  echo "full_page_writes = off"; echo "max_connections = 200";
  # Statement counts for the suites (the performance suite counts a route's queries per row).
  echo "shared_preload_libraries = 'pg_stat_statements'"; } >> "$PGTEMPLATE/postgresql.conf"
