#!/usr/bin/env bash
# Install what paroletrack needs to build, run and test on Debian 12, skipping what is there.
# Run as root (or with sudo). Safe to run again.
set -euo pipefail

packages=(
  build-essential meson ninja-build pkg-config python3
  libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev libunistring-dev
  liboath-dev libcrack2-dev cracklib-runtime libcurl4-openssl-dev
  tzdata ca-certificates curl sqlite3
  python3-jsonschema python3-yaml python3-icalendar clang-format wrk
  chromium fonts-noto-core fonts-noto-cjk
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm (for the OpenAPI linter and the browser tests): Debian's packages unless a node is already there
# (a machine may carry its own Node.js build, which conflicts with Debian's npm package).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
