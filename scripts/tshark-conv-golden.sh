#!/usr/bin/env bash
# Regenerates the tshark conversation lists that ConversationsMatchTsharkTest compares with.
# tshark is the independent source: its TCP and UDP conversations for every capture in
# src/test/resources/captures/, one file each under src/test/resources/tshark-conv/.
# Needs tshark (apt-get install -y tshark). Run from anywhere; rewrites the files in place.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
captures=$root/src/test/resources/captures
out=$root/src/test/resources/tshark-conv
command -v tshark >/dev/null || { echo "tshark is not installed: apt-get install -y tshark" >&2; exit 2; }
version=$(tshark -v 2>/dev/null | head -1)
cd "$captures"
find . -type f \( -name '*.pcap' -o -name '*.pcapng' \) | sed 's|^\./||' | sort | while read -r f; do
  mkdir -p "$out/$(dirname "$f")"
  {
    echo "# $version"
    echo "# tshark -r $f -q -z conv,tcp -z conv,udp"
    tshark -r "$f" -q -z conv,tcp -z conv,udp 2>&1 | grep -v '^Running as user' || true
  } > "$out/$f.conv"
done
echo "wrote $(find "$out" -name '*.conv' | wc -l) conversation lists to $out"
