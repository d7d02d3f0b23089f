#!/usr/bin/env bash
# A PostgreSQL backup of the Lắng Nghe database: pg_dump's custom format (compressed, restored
# with pg_restore, see deploy/README.md), written under a temporary name and renamed when
# complete, so a half-written dump is never taken for a backup. Dumps older than KEEP_DAYS
# days are deleted.
#
#   DATABASE_URL  postgresql://user:pass@host/lang_nghe (postgresql+psycopg:// accepted too)
#   BACKUP_DIR    where dumps go (default /var/backups/lang-nghe)
#   KEEP_DAYS     days of dumps to keep (default 30; 0 keeps all)
# Prints the path of the new dump.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL (postgresql://user:pass@host/lang_nghe)}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/lang-nghe}"
KEEP_DAYS="${KEEP_DAYS:-30}"
url="${DATABASE_URL/postgresql+psycopg:/postgresql:}"
url="${url/#postgres:/postgresql:}"

mkdir -p "$BACKUP_DIR"
umask 077  # the dump holds every resident's answers and every account
target="$BACKUP_DIR/lang-nghe-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --no-privileges --file="$target.partial" "$url"
mv "$target.partial" "$target"
if [ "$KEEP_DAYS" -gt 0 ]; then
  find "$BACKUP_DIR" -maxdepth 1 -name 'lang-nghe-*.dump' -mtime +"$KEEP_DAYS" -delete
fi
echo "$target"
