#!/bin/sh
# The nightly backup (deploy/paroletrack-backup.{service,timer}, or a cron line): a sealed,
# verified online copy named by the time it was taken, the copies older than the retention
# removed, then the new one shipped off the machine by a command of the operator's choosing.
#
#   PAROLETRACK_DB                the database (default /var/lib/paroletrack/paroletrack.db)
#   PAROLETRACK_KEY_FILE          its key file (read by paroletrack itself; default <db>.key)
#   PAROLETRACK_BACKUP_DIR        where the copies go (default /var/backups/paroletrack)
#   PAROLETRACK_BACKUP_KEEP_DAYS  copies older than this many days are removed (default 30)
#   PAROLETRACK_BACKUP_SHIP       a shell command run with the new copy's path as $1, e.g.
#                                 'rclone copy "$1" offsite:firm-backups/' or
#                                 'aws s3 cp "$1" s3://firm-backups/' (default: none)
#   PAROLETRACK_BIN               the binary (default /usr/local/bin/paroletrack)
#
# Every copy is sealed with the firm key (--encrypt): keep the key file somewhere else than the
# copies (a restore needs it), never next to them in the object store.
set -eu
bin=${PAROLETRACK_BIN:-/usr/local/bin/paroletrack}
db=${PAROLETRACK_DB:-/var/lib/paroletrack/paroletrack.db}
dir=${PAROLETRACK_BACKUP_DIR:-/var/backups/paroletrack}
keep=${PAROLETRACK_BACKUP_KEEP_DAYS:-30}
case $keep in '' | *[!0-9]*) echo "paroletrack-backup: PAROLETRACK_BACKUP_KEEP_DAYS must be a number of days" >&2; exit 2 ;; esac
umask 077
mkdir -p "$dir"
dest=$dir/paroletrack-$(date -u +%Y%m%dT%H%M%SZ).ptbak
"$bin" backup --db "$db" --to "$dest" --encrypt
# Retention: only the files this script names, never anything else in the directory.
find "$dir" -maxdepth 1 -type f -name 'paroletrack-*.ptbak' -mtime +"$keep" -exec rm -f {} +
if [ -n "${PAROLETRACK_BACKUP_SHIP:-}" ]; then
  sh -c "$PAROLETRACK_BACKUP_SHIP" paroletrack-backup-ship "$dest"
fi
