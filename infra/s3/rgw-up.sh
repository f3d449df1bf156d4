#!/usr/bin/env bash
# Starts a throwaway single-node Ceph (monitor + memstore OSD + RADOS Gateway) on loopback: the S3 server the
# tests use. Auth between the daemons is off and the data lives in memory; never expose it.
# Needs Debian's ceph-mon, ceph-osd and radosgw (apt-get install --no-install-recommends ceph-mon ceph-osd radosgw).
#
# Usage: infra/s3/rgw-up.sh [--dir DIR] [--port PORT] [--mon-port PORT] [--gateway-only]
#   --gateway-only: (re)start just the gateway of the cluster already running in DIR (after
#   `rgw-down.sh --gateway-only`), keeping its data: the OSD and the monitor were never stopped.
#   Environment: S3_ACCESS_KEY / S3_SECRET_KEY (the S3 user's keys; test defaults), MEMSTORE_BYTES (OSD size).
# Idempotent: when DIR already holds a running gateway answering on PORT, it only prints the endpoint again.
# Prints, last, one line of shell assignments: S3_ENDPOINT=… S3_ACCESS_KEY=… S3_SECRET_KEY=…
# Stop with: infra/s3/rgw-down.sh [--dir DIR]
set -euo pipefail

dir=${TMPDIR:-/tmp}/kinitro-rgw
port=7480
mon_port=3300
gateway_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --mon-port) mon_port=$2; shift 2 ;;
    --gateway-only) gateway_only=1; shift ;;
    *) echo "rgw-up.sh: unknown argument $1 (expected --dir, --port, --mon-port, --gateway-only)" >&2; exit 2 ;;
  esac
done
access_key=${S3_ACCESS_KEY:-kinitro-test}
secret_key=${S3_SECRET_KEY:-kinitro-test-secret}
endpoint="http://127.0.0.1:$port"

for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool curl; do
  command -v "$tool" >/dev/null || { echo "rgw-up.sh: $tool is missing (apt-get install ceph-mon ceph-osd radosgw curl)" >&2; exit 1; }
done

answers() { [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$endpoint/")" = 200 ]; }
print_endpoint() { echo "S3_ENDPOINT=$endpoint S3_ACCESS_KEY=$access_key S3_SECRET_KEY=$secret_key"; }
wait_for_gateway() {
  for _ in $(seq 1 180); do answers && return 0; sleep 0.5; done
  echo "rgw-up.sh: the gateway did not answer on $endpoint within 90 s; logs in $dir/log" >&2
  return 1
}

if [ -f "$dir/run/client.rgw.a.pid" ] && kill -0 "$(cat "$dir/run/client.rgw.a.pid")" 2>/dev/null && answers; then
  echo "rgw-up.sh: already running in $dir" >&2
  print_endpoint
  exit 0
fi
if [ "$gateway_only" = 1 ]; then
  [ -f "$dir/ceph.conf" ] || { echo "rgw-up.sh: --gateway-only needs the cluster rgw-up.sh started in $dir (no $dir/ceph.conf)" >&2; exit 1; }
  answers && { echo "rgw-up.sh: port $port already answers and is not the gateway of $dir; choose another --port" >&2; exit 1; }
  radosgw -c "$dir/ceph.conf" -n client.rgw.a
  wait_for_gateway
  echo "rgw-up.sh: Ceph RGW restarted on $endpoint (state in $dir)" >&2
  print_endpoint
  exit 0
fi
if answers; then
  echo "rgw-up.sh: port $port already answers and is not ours (dir $dir); choose another --port" >&2
  exit 1
fi

# A stale or half-started cluster in DIR is stopped and replaced: its data is throwaway by design.
"$(dirname "$0")/rgw-down.sh" --dir "$dir" >/dev/null 2>&1 || true
mkdir -p "$dir"/{run,log,mon,osd,rgw}
fsid=$(cat /proc/sys/kernel/random/uuid)

# Messenger v2 in crc mode (no secure mode without auth) and tcp_nodelay on the frontend: without them the
# loopback cluster stalls on small requests.
cat >"$dir/ceph.conf" <<CONF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
mon initial members = a
public network = 127.0.0.1/32
ms bind ipv4 = true
ms bind ipv6 = false
ms mon client mode = crc
ms client mode = crc
ms cluster mode = crc
ms service mode = crc
ms mon cluster mode = crc
ms mon service mode = crc
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = ${MEMSTORE_BYTES:-2147483648}
run dir = $dir/run
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
pid file = $dir/run/\$name.pid
mon data = $dir/mon/\$cluster-\$id
osd data = $dir/osd/\$cluster-\$id
keyring = $dir/keyring
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$port tcp_nodelay=1
rgw data = $dir/rgw
rgw dns name = localhost
CONF

conf=(-c "$dir/ceph.conf")
ceph-authtool --create-keyring "$dir/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$dir/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' >/dev/null
monmaptool --create --addv a "[v2:127.0.0.1:$mon_port]" --fsid "$fsid" "$dir/monmap" >/dev/null
ceph-mon "${conf[@]}" --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/keyring"
ceph-mon "${conf[@]}" -i a
osd_uuid=$(cat /proc/sys/kernel/random/uuid)
osd_id=$(timeout 60 ceph "${conf[@]}" osd new "$osd_uuid")
mkdir -p "$dir/osd/ceph-$osd_id"
ceph-osd "${conf[@]}" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >"$dir/log/osd-mkfs.log" 2>&1
ceph-osd "${conf[@]}" -i "$osd_id" 2>>"$dir/log/osd-start.log"
radosgw "${conf[@]}" -n client.rgw.a

wait_for_gateway
if ! radosgw-admin "${conf[@]}" user info --uid=kinitro-test >/dev/null 2>&1; then
  radosgw-admin "${conf[@]}" user create --uid=kinitro-test --display-name=kinitro-test \
    --access-key="$access_key" --secret-key="$secret_key" >/dev/null
fi
echo "rgw-up.sh: Ceph RGW on $endpoint (data in memory, state in $dir)" >&2
print_endpoint
