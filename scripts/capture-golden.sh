#!/bin/sh
# Regenerates src/test/resources/capture/golden.tsv: what tshark reads in every capture of
# src/test/resources/captures/MANIFEST.tsv, so that the capture tests run without tshark.
#
# Columns: file, packets tshark read, first and last frame.time_epoch exactly as tshark prints
# them ("-" when there are no packets; the test turns them into nanoseconds), and the wiretap
# encapsulation numbers of the packets in order, run-length encoded ("1x18" = 18 packets of
# encapsulation 1).
# A damaged file keeps what tshark read before its read error.
#
# Usage: scripts/capture-golden.sh   (from the repository root; needs tshark)
set -eu
cd "$(dirname "$0")/.."
dir=src/test/resources/captures
out=src/test/resources/capture/golden.tsv
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
printf 'file\tpackets\tfirst_ns\tlast_ns\tencap_runs\n' > "$out"
tail -n +2 "$dir/MANIFEST.tsv" | cut -f1 | while read -r f; do
  tshark -n -r "$dir/$f" -T fields -e frame.time_epoch -e frame.encap_type > "$tmp" 2>/dev/null || true
  awk -F'\t' -v f="$f" '
    function flush() { if (run) { runs = runs sep enc "x" run; sep = "," } }
    NF >= 2 { n++; if (n == 1) first = $1; last = $1
              if ($2 == enc) run++; else { flush(); enc = $2; run = 1 } }
    END { flush()
          if (n == 0) { first = "-"; last = "-"; runs = "-" }
          printf "%s\t%d\t%s\t%s\t%s\n", f, n, first, last, runs }' "$tmp" >> "$out"
done
