#!/usr/bin/env bash
# One command on a fresh machine: set everything up, then run every test tier.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
