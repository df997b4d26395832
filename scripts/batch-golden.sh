#!/bin/sh
# Writes, for every capture under src/test/resources/captures/, what tshark reads in it:
# src/test/resources/batch-golden/<capture>.tsv with one line per packet
#     <timestamp ns since the epoch> TAB <captured length> TAB <wire length> TAB <LINKTYPE_*>
#     TAB <MD5 of the captured bytes>
# The link type is the file's own number (pcap header, or the pcapng interface block the packet
# names), so the golden files do not depend on libpcap. BatchFileSourceTest compares the native
# batch reader against them, so the tests run without tshark.
# Needs tshark and python3. usage: scripts/batch-golden.sh  (from anywhere)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
captures=$root/src/test/resources/captures
golden=$root/src/test/resources/batch-golden
rm -rf "$golden"
cd "$captures"
find . -type f \( -name '*.pcap' -o -name '*.pcapng' \) | sed 's|^\./||' | sort | while read -r f; do
    mkdir -p "$golden/$(dirname "$f")"
    # tshark stops at damage with an error on stderr and a non-zero status: keep what it read
    tshark -o frame.generate_md5_hash:TRUE -r "$f" -n -T fields -E separator=/t \
        -e frame.time_epoch -e frame.cap_len -e frame.len -e frame.interface_id -e frame.md5_hash 2>/dev/null \
        | python3 "$root/scripts/batch-golden-linktype.py" "$f" > "$golden/$f.tsv" || true
done
echo "wrote $(find "$golden" -name '*.tsv' | wc -l) golden files under $golden"
