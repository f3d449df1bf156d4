#!/usr/bin/env bash
# Stops the daemons infra/s3/rgw-up.sh started in DIR (by their pid files), waits for them to exit, removes DIR.
# Usage: infra/s3/rgw-down.sh [--dir DIR] [--gateway-only]. Idempotent: nothing running is not an error.
#   --gateway-only: stops just the RADOS Gateway and keeps DIR, the monitor and the OSD (with the data in its
#   memory): an S3 outage that `rgw-up.sh --gateway-only` ends.
set -uo pipefail
dir=${TMPDIR:-/tmp}/kinitro-rgw
gateway_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --gateway-only) gateway_only=1; shift ;;
    *) echo "rgw-down.sh: unknown argument $1 (expected --dir, --gateway-only)" >&2; exit 2 ;;
  esac
done
[ -d "$dir" ] || exit 0
pids=()
pid_files=("$dir"/run/*.pid)
[ "$gateway_only" = 1 ] && pid_files=("$dir/run/client.rgw.a.pid")
for pid_file in "${pid_files[@]}"; do
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
if [ "$gateway_only" = 1 ]; then
  rm -f "$dir/run/client.rgw.a.pid"
else
  rm -rf "$dir"
fi
