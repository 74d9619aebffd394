#!/usr/bin/env bash
# Installs everything Stethoscope needs on a fresh Debian/Ubuntu machine, idempotently:
# system packages (PC/SC stack, vpcd, OpenSC, rsyslog with TLS, Chromium, SQLite CLI), npm dependencies
# (native modules built from source) and the build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# pcscd + vpcd: the smartcard stack and virtual reader driver; libpcsclite-dev: headers for the pcsclite addon;
# opensc: independent reader of our card; rsyslog(-gnutls): the ATNA test repository; chromium: the browser host;
# gnutls-bin/sqlite3/iproute2/util-linux: test tools (certtool, sqlite3 CLI, ip route quickack, unshare).
PACKAGES=(pcscd vsmartcard-vpcd libpcsclite-dev opensc opensc-pkcs11 pcsc-tools rsyslog rsyslog-gnutls
  chromium gnutls-bin sqlite3 iproute2 util-linux build-essential python3 fonts-liberation)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then missing+=("$p"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Electron binary is fetched from outside the npm registry by its install script; where that cannot work
# (CI, closed networks) skip it: the browser host runs the same app in Chromium. Set STETHOSCOPE_WANT_ELECTRON=1
# on a machine that can download it.
if [ "${STETHOSCOPE_WANT_ELECTRON:-0}" != "1" ]; then export ELECTRON_SKIP_BINARY_DOWNLOAD=1; fi

stamp=node_modules/.stethoscope-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

echo "setup: building"
npx electron-vite build >/dev/null
echo "setup: done"
