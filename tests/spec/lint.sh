#!/bin/sh
# Lints api-spec/openapi.yaml with the Redocly CLI pinned in package.json (rules: redocly.yaml).
# Needs `npm ci` (or `npm install`) at the repository root first; never downloads anything itself.
# Exits with the linter's status: non-zero on any error (warnings are fixed in the spec, not ignored).
cd "$(dirname "$0")/../.." || exit 1
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export REDOCLY_TELEMETRY REDOCLY_SUPPRESS_UPDATE_NOTICE
exec npx --no-install redocly lint api-spec/openapi.yaml
