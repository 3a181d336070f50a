#!/usr/bin/env bash
# Install what paroletrack needs to build and run on Debian 12 (and, with --tests, to run the
# whole test suite), skipping what is there. Run as root (or with sudo). Safe to run again.
#
# usage: install-deps.sh [--tests]
set -euo pipefail

packages=(
  build-essential meson ninja-build pkg-config python3
  libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev libunistring-dev
  liboath-dev libcrack2-dev cracklib-runtime libcurl4-openssl-dev libqrencode-dev
  tzdata ca-certificates curl sqlite3
)
# Only the tests need these: the e2e harness's JSON Schema validator and iCalendar parser, the
# format check, the benchmarks' load generator, zbar to read the TOTP QR code back, Debian's
# Chromium with fonts for every script for the browser tests, and clang with libFuzzer for the
# fuzz targets.
test_packages=(
  python3-jsonschema python3-yaml python3-icalendar clang-format wrk zbar-tools
  chromium fonts-noto-core fonts-noto-cjk
  clang-14 libclang-rt-14-dev
)
[ "${1:-}" = "--tests" ] && packages+=("${test_packages[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm (tests: the OpenAPI linter and playwright-core): Debian's packages unless a
# node is already there (a machine may carry its own Node.js build, which conflicts with
# Debian's npm package).
if [ "${1:-}" = "--tests" ]; then
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
