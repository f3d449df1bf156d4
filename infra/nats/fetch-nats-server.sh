#!/usr/bin/env bash
# Fetches a newer nats-server than the system's 2.9 from Debian's newer suites (sid first: it has the 2.12+ features,
# then trixie), checks the .deb's sha256 against the suite's Packages index, and extracts it with dpkg-deb -x into
# <dir> (never installed over the system server, which the shared services use). Prints the binary's path.
# Usage: infra/nats/fetch-nats-server.sh <dir> [suite...]
set -euo pipefail
dir=${1:?usage: $0 <dir> [suite...]}
shift
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(sid trixie)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
arch=$(dpkg --print-architecture)
mkdir -p "$dir"

for suite in "${suites[@]}"; do
  index="$dir/Packages-$suite"
  if ! curl -fsS -m 120 "$mirror/dists/$suite/main/binary-$arch/Packages.xz" | xz -dc >"$index"; then
    echo "fetch-nats-server: no Packages index for $suite" >&2
    continue
  fi
  stanza=$(awk -v RS= '/^Package: nats-server\n/' "$index")
  rm -f "$index"
  file=$(sed -n 's/^Filename: //p' <<<"$stanza")
  sha=$(sed -n 's/^SHA256: //p' <<<"$stanza")
  version=$(sed -n 's/^Version: //p' <<<"$stanza")
  [ -n "$file" ] && [ -n "$sha" ] || { echo "fetch-nats-server: $suite has no nats-server" >&2; continue; }
  out="$dir/nats-server-$version"
  if [ ! -x "$out/usr/sbin/nats-server" ]; then
    deb="$dir/$(basename "$file")"
    curl -fsS -m 300 -o "$deb" "$mirror/$file"
    echo "$sha  $deb" | sha256sum -c --quiet - || { echo "fetch-nats-server: sha256 mismatch for $deb" >&2; rm -f "$deb"; exit 1; }
    rm -rf "$out"
    dpkg-deb -x "$deb" "$out"
    rm -f "$deb"
  fi
  "$out/usr/sbin/nats-server" --version >&2
  echo "$out/usr/sbin/nats-server"
  exit 0
done
echo "fetch-nats-server: no suite of ${suites[*]} gave a nats-server" >&2
exit 1
