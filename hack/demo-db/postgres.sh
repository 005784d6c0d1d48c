#!/bin/sh
# The demo's database: a throwaway PostgreSQL cluster (bookworm's postgresql-15 binaries, no
# pg_ctlcluster, nothing under /etc or /var) seeded with seed.sql, then the server in the foreground.
#
#   postgres.sh DATADIR PORT [LISTEN]
#
# DATADIR must not exist yet; the server's unix socket is in it. LISTEN is listen_addresses: empty (the
# default) for the socket alone; '*' in the pod, where every host may connect. Trust authentication: the
# data is made up and the server lives as long as the demo. Runs as any user but root (PostgreSQL refuses
# root); the role is `demo`, the database `postgres`. Plain sh: the pod's image has no other tools.
set -eu
bin=/usr/lib/postgresql/15/bin
here=${0%/*}   # no dirname: the pod's image has no coreutils
data=${1:?postgres.sh DATADIR PORT [LISTEN]}
port=${2:?postgres.sh DATADIR PORT [LISTEN]}
listen=${3:-}

"$bin/initdb" --pgdata "$data" --username demo --auth trust --no-locale --encoding UTF8 --no-sync >"$data.initdb.log"
if [ -n "$listen" ]; then
  echo "host all all all trust" >>"$data/pg_hba.conf"
fi
# Single-user mode runs one statement per line of seed.sql without a client (the image has no psql).
"$bin/postgres" --single -D "$data" -F postgres <"$here/seed.sql" >"$data.seed.log"
exec "$bin/postgres" -D "$data" -F -p "$port" -c listen_addresses="$listen" -c unix_socket_directories="$data" \
  -c max_connections=40 -c shared_buffers=16MB -c jit=off
