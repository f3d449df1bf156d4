#!/usr/bin/env bash
# Stops the daemons infra/s3/rgw-up.sh started in DIR (by their pid files), waits for them to exit, removes DIR.
# Usage: infra/s3/rgw-down.sh [--dir DIR]. Idempotent: nothing running is not an error.
set -uo pipefail
dir=${TMPDIR:-/tmp}/kinitro-rgw
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    *) echo "rgw-down.sh: unknown argument $1 (expected --dir)" >&2; exit 2 ;;
  esac
done
[ -d "$dir" ] || exit 0
pids=()
for pid_file in "$dir"/run/*.pid; do
  [ -f "$pid_file" ] || continue
  pid=$(cat "$pid_file")
  kill "$pid" 2>/dev/null && pids+=("$pid")
done
for _ in $(seq 1 40); do
  alive=0
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ "$alive" = 0 ] && break
  sleep 0.5
done
for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null; done
rm -rf "$dir"
