#!/usr/bin/env bash
# Restore a dump made by backup.sh into a database that exists and is EMPTY (a fresh
# `createdb`), never over a live one: check the restored copy, then point DATABASE_URL at it.
#
#   deploy/restore.sh /var/backups/lang-nghe/lang-nghe-20270501T023000Z.dump \
#       postgresql://lang_nghe@127.0.0.1/lang_nghe_restored
set -euo pipefail

dump="${1:?usage: restore.sh DUMP_FILE TARGET_DATABASE_URL}"
url="${2:?usage: restore.sh DUMP_FILE TARGET_DATABASE_URL}"
url="${url/postgresql+psycopg:/postgresql:}"
url="${url/#postgres:/postgresql:}"

tables=$(psql "$url" -Atc "select count(*) from information_schema.tables where table_schema = 'public'")
if [ "$tables" != "0" ]; then
  echo "Error: the target database already has $tables tables; restore into a fresh one (createdb)." >&2
  exit 1
fi
# --exit-on-error: a failed restore stops loudly instead of leaving a partial copy.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$dump"
echo "Restored $dump: $(psql "$url" -Atc 'select count(*) from responses') responses, schema $(psql "$url" -Atc 'select version_num from alembic_version')."
