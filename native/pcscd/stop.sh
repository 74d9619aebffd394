#!/bin/sh
# Stops a private pcscd started by start.sh DIR (only that one: the pid recorded in DIR/launcher.pid).
# usage: stop.sh DIR
set -eu
[ $# -ge 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
DIR=$(cd "$1" && pwd)
[ -f "$DIR/launcher.pid" ] || { echo "no launcher.pid in $DIR" >&2; exit 1; }
PID=$(cat "$DIR/launcher.pid")
if kill -0 "$PID" 2>/dev/null; then
  kill -TERM "$PID"
  i=0
  while kill -0 "$PID" 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
  kill -0 "$PID" 2>/dev/null && kill -KILL "$PID"
fi
rm -f "$DIR/launcher.pid" "$DIR/pcscd.comm"
