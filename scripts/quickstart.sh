#!/usr/bin/env bash
# Quick start: install what is missing, build, and serve a fresh demo database full of
# fictional clients on http://127.0.0.1:8080 (Ctrl-C stops it). The demo database is created
# in a new temporary directory each time; it never touches a database you name.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# --reconfigure picks up new migrations and dashboard files in an existing build directory.
if [ -d build ]; then meson setup --reconfigure build >/dev/null; else meson setup build --buildtype=release >/dev/null; fi
ninja -C build >/dev/null
exec ./build/server/paroletrack demo --listen "${PAROLETRACK_LISTEN:-127.0.0.1:8080}" "$@"
