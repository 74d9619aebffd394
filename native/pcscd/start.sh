#!/bin/sh
# Starts a private pcscd with the vpcd driver, beside any system pcscd (needs root for unshare -m).
# usage: start.sh DIR PORT [READERS]
#   DIR      folder for reader.conf, pcscd.comm, pcscd.pid, pcscd.log (created)
#   PORT     vpcd port of the first reader (vpcd opens two slots per entry: PORT and PORT+1)
#   READERS  1..8, default 1
# Then: export PCSCLITE_CSOCK_NAME=DIR/pcscd.comm; stop with stop.sh DIR.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 DIR PORT [READERS]" >&2; exit 2; }
DIR=$(mkdir -p "$1" && cd "$1" && pwd)
PORT=$2
READERS=${3:-1}
DRIVER=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
[ -f "$DRIVER" ] || { echo "vpcd driver missing: $DRIVER (apt-get install vsmartcard-vpcd)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (unshare -m, mount --bind)" >&2; exit 1; }

: > "$DIR/reader.conf"
e=0
while [ $((e * 2)) -lt "$READERS" ]; do
  ch=$(printf '0x%X' $((PORT + e * 2)))
  printf 'FRIENDLYNAME "Stethoscope Virtual PCD"\nDEVICENAME   /dev/null:%s\nLIBPATH      %s\nCHANNELID    %s\n\n' "$ch" "$DRIVER" "$ch" >> "$DIR/reader.conf"
  e=$((e + 1))
done

rm -f "$DIR/pcscd.comm"
# In a private mount namespace DIR hides /run/pcscd, so the daemon's fixed socket path lands in DIR.
nohup unshare --mount --propagation private sh -c \
  'mkdir -p /run/pcscd && mount --bind "$1" /run/pcscd && exec pcscd -f -c "$1/reader.conf"' \
  private-pcscd "$DIR" >> "$DIR/pcscd.log" 2>&1 &
echo $! > "$DIR/launcher.pid"

i=0
while [ ! -S "$DIR/pcscd.comm" ]; do
  i=$((i + 1))
  if [ $i -gt 200 ] || ! kill -0 "$(cat "$DIR/launcher.pid")" 2>/dev/null; then
    echo "private pcscd did not start; see $DIR/pcscd.log" >&2
    exit 1
  fi
  sleep 0.05
done
echo "PCSCLITE_CSOCK_NAME=$DIR/pcscd.comm"
