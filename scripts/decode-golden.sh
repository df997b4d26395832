#!/usr/bin/env bash
# Regenerates the decoder's golden files from tshark, so that DecodeAgainstTsharkTest runs
# without tshark. For each capture listed below it writes
#   src/test/resources/decode/golden/<capture path with / replaced by __>.tsv
# with, per frame, the innermost IP packet tshark sees (outside any ICMP quote), its transport
# ports, and for ICMP/ICMPv6 errors the quoted packet's addresses and ports.
#
# tshark prints every layer's value of a repeated field comma-separated (outer first), and an
# ICMP error's quoted IP/UDP header also lands in ip.src / udp.srcport; frame.protocols tells
# which occurrence is which, so the innermost non-quoted layer is picked by walking it.
# IP reassembly is off so every fragment is compared as captured (the decoder does not
# reassemble; the first fragment carries the ports).
#
# Usage: scripts/decode-golden.sh   (from the repository root; needs tshark and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
CAPTURES=src/test/resources/captures
OUT=src/test/resources/decode/golden
LIST=src/test/resources/decode/golden-captures.txt
mkdir -p "$OUT"
VERSION=$(tshark --version 2>/dev/null | head -1)

grep -v '^#' "$LIST" | while read -r capture; do
  # Damaged captures make tshark exit non-zero after the readable frames: keep those frames.
  set +o pipefail
  [ -n "$capture" ] || continue
  name=$(echo "$capture" | sed 's#/#__#g')
  tshark -r "$CAPTURES/$capture" \
      -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE \
      -T fields -E separator=/t -E occurrence=a -E aggregator=, \
      -e frame.number -e frame.protocols -e ip.src -e ip.dst -e ip.proto \
      -e ipv6.src -e ipv6.dst -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport \
      -e icmp.type -e icmpv6.type 2>/dev/null \
  | python3 -c '
import sys
version, capture = sys.argv[1], sys.argv[2]
print("# tshark golden for " + capture + ", made by scripts/decode-golden.sh with " + version)
print("# frame\tipver\tsrc\tdst\tproto\tsport\tdport\tquoted_src\tquoted_dst\tquoted_sport\tquoted_dport")
PROTO = {"tcp": "6", "udp": "17", "icmpv6": "58", "icmp": "1"}
for line in sys.stdin:
    f = line.rstrip("\n").split("\t")
    f += [""] * (13 - len(f))
    frame, protos = f[0], f[1].split(":")
    vals = {"ip": (f[2].split(","), f[3].split(",")), "ipv6": (f[5].split(","), f[6].split(",")),
            "tcp": (f[7].split(","), f[8].split(",")), "udp": (f[9].split(","), f[10].split(","))}
    ipproto = f[4].split(",")
    icmp_types = [t for t in (f[11].split(",") + f[12].split(",")) if t]
    cut = next((i for i, p in enumerate(protos) if p in ("icmp", "icmpv6")), len(protos))
    def occurrence(i):
        return sum(1 for p in protos[:i] if p == protos[i])
    def layer(i):
        n = occurrence(i)
        s, d = vals[protos[i]]
        return (s[n] if n < len(s) else "?", d[n] if n < len(d) else "?")
    def transport_after(i, stop):
        for j in range(i + 1, stop):
            if protos[j] in ("ip", "ipv6"):
                return None
            if protos[j] in ("tcp", "udp"):
                return j
        return None
    ips = [i for i in range(cut) if protos[i] in ("ip", "ipv6")]
    if not ips:
        print(frame + "\t0" + "\t" * 9)
        continue
    k = ips[-1]
    ver = "4" if protos[k] == "ip" else "6"
    src, dst = layer(k)
    if ver == "4":
        n = occurrence(k)
        proto = ipproto[n] if n < len(ipproto) else ""
    else:
        nxt = [p for p in protos[k + 1:] if not p.startswith("ipv6.")]
        proto = PROTO.get(nxt[0], "") if nxt else ""
    sport = dport = ""
    t = transport_after(k, cut)
    if t is not None:
        sport, dport = layer(t)
    q = ["", "", "", ""]
    is_error = cut < len(protos) and icmp_types and (
        (protos[cut] == "icmp" and icmp_types[0] in ("3", "11", "12")) or
        (protos[cut] == "icmpv6" and icmp_types[0] in ("1", "2", "3", "4")))
    if is_error:
        qi = next((i for i in range(cut + 1, len(protos)) if protos[i] in ("ip", "ipv6")), None)
        if qi is not None:
            q[0], q[1] = layer(qi)
            qt = transport_after(qi, len(protos))
            if qt is not None:
                q[2], q[3] = layer(qt)
    print("\t".join([frame, ver, src, dst, proto, sport, dport] + q))
' "$VERSION" "$capture" > "$OUT/$name.tsv"
  echo "$OUT/$name.tsv: $(grep -vc '^#' "$OUT/$name.tsv") frames"
done
