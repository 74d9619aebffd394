#!/usr/bin/env bash
# The whole test command: static checks, the security scan, the build, then unit, integration and end-to-end tiers.
# Every tier runs for real; a missing part (pcscd, rsyslog, chromium) fails loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n=== %s ===\n' "$*"; }
step typecheck; npm run -s typecheck
step lint; npm run -s lint
step "security scan (electronegativity)"; npm run -s security
step build; npx electron-vite build >/dev/null
step "unit tests"; npx vitest run --project unit
step "integration tests"; npx vitest run --project integration
step "end-to-end tests"; npx playwright test
