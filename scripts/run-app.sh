#!/usr/bin/env bash
# One command on a fresh machine: set everything up, then start the app in demo mode (embedded virtual card,
# synthetic patients). Extra arguments go to the app (e.g. --config FILE for live mode).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node scripts/start.mjs "$@"
