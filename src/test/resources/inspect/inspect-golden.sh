#!/bin/sh
# Regenerates the tshark-made expectation files beside this script:
#   tshark-flows.tsv  per capture and TCP/UDP flow, the payload protocols tshark decoded in it,
#                     mapped to mraflow's AppProto names (tls dtls ssh sip stun rtp rtcp xmpp http
#                     turn-channel dns; dns only on port 53, as mraflow), most frequent first
#   tshark-sni.tsv    per capture and TCP flow, the SNI of every ClientHello tshark reassembled
#   tshark-stun.tsv   per capture and flow with STUN: endpoints that sent a request (class 0),
#                     whether an ICE attribute (0x0024 0x0025 0x8029 0x802a) was seen, the
#                     first SOFTWARE value
#   tshark-dns.tsv    per capture and flow with DNS on port 53: the first question's name, the
#                     A and AAAA addresses of its responses' answer sections, and whether a
#                     message came in IP fragments (tshark reassembles them, mraflow does not)
#   tshark-rtp.tsv    per capture and RTP stream (tshark -z rtp,streams): source, destination,
#                     SSRC, packets, lost (RFC 3550 A.3: expected - received), max and mean
#                     delta, min, mean and max jitter (ms; min jitter -1: no clock rate known);
#                     the captures of the list, then those of the project's pcaps/ (named so)
# Run from anywhere: sh src/test/resources/inspect/inspect-golden.sh
# (Kept here rather than in scripts/: the inspect branch may only touch inspect paths.)
# RTP heuristics are enabled (rtp_udp, rtp_stun) since tshark only calls RTP by SDP or heuristics.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
caps="$here/../captures"
list="$here/captures.txt"
version=$(tshark --version 2>/dev/null | head -1)
flows="$here/tshark-flows.tsv"
snis="$here/tshark-sni.tsv"
rtp="$here/tshark-rtp.tsv"
stun="$here/tshark-stun.tsv"
dns="$here/tshark-dns.tsv"
{
  echo "# made by inspect-golden.sh with: $version"
  echo "# capture	transport	endpoint_a	endpoint_b	first_query	answer_addresses	fragmented"
} > "$dns"
{
  echo "# made by inspect-golden.sh with: $version"
  echo "# capture	transport	endpoint_a	endpoint_b	request_senders	ice	software"
} > "$stun"
{
  echo "# made by inspect-golden.sh with: $version (heuristics rtp_udp rtp_stun enabled)"
  echo "# capture	src	dst	ssrc	packets	lost	max_delta	mean_delta	min_jitter	mean_jitter	max_jitter"
} > "$rtp"
# rtp_rows FILE NAME: the rtp,streams rows of FILE, as NAME
rtp_rows() {
  tshark -r "$1" --enable-heuristic rtp_udp --enable-heuristic rtp_stun -q -z rtp,streams 2>/dev/null |
  awk -v cap="$2" '
    function ep(a, p) { return (a ~ /:/ ? "[" a "]" : a) ":" p }
    $7 ~ /^0x[0-9A-Fa-f]+$/ {
      for (i = 8; i <= NF; i++) if ($i ~ /^\(.*%\)$/) {
        print cap "\t" ep($3, $4) "\t" ep($5, $6) "\t" $7 "\t" $(i-2) "\t" $(i-1) "\t" $(i+3) "\t" $(i+2) "\t" $(i+4) "\t" $(i+5) "\t" $(i+6)
        break
      }
    }' >> "$rtp"
}
{
  echo "# made by inspect-golden.sh with: $version (heuristics rtp_udp rtp_stun enabled)"
  echo "# capture	transport	endpoint_a	endpoint_b	frames	protocols"
} > "$flows"
{
  echo "# made by inspect-golden.sh with: $version"
  echo "# capture	transport	client	server	sni"
} > "$snis"
grep -v '^#' "$list" | while read -r cap; do
  [ -n "$cap" ] || continue
  tshark -r "$caps/$cap" --enable-heuristic rtp_udp --enable-heuristic rtp_stun \
      -Y '(tcp || udp) && !icmp && !icmpv6 && !(ip.flags.mf == 1) && !(ip.frag_offset > 0) && !ipv6.fragment' \
      -T fields -E separator='|' -E occurrence=l \
      -e frame.protocols -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst \
      -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport \
      -e tls.handshake.extensions_server_name 2>/dev/null |
  awk -F'|' -v cap="$cap" -v flows="$flows" -v snis="$snis" '
    function ep(a, p) { return (a ~ /:/ ? "[" a "]" : a) ":" p }
    {
      src = ($3 != "") ? $3 : $2; dst = ($5 != "") ? $5 : $4
      if ($6 != "") { t = "TCP"; sp = $6; dp = $7 } else { t = "UDP"; sp = $8; dp = $9 }
      a = ep(src, sp); b = ep(dst, dp)
      if (a < b) { k = t "\t" a "\t" b } else { k = t "\t" b "\t" a }
      if (!(k in frames)) order[++n] = k
      frames[k]++
      np = split($1, ps, ":")
      delete seenHere
      for (i = 1; i <= np; i++) {
        q = ps[i]
        if (q == "classicstun") q = "stun"
        if (q == "turnchannel") q = "turn-channel"
        if (q == "dns" && sp != 53 && dp != 53) continue
        if (q ~ /^(tls|dtls|ssh|sip|stun|rtp|rtcp|xmpp|http|turn-channel|dns)$/ && !(q in seenHere)) {
          seenHere[q] = 1; cnt[k, q]++; if (!((k, q) in has)) { has[k, q] = 1; plist[k] = plist[k] " " q }
        }
      }
      if ($10 != "" && t == "TCP" && !((k, $10) in sniSeen)) {
        sniSeen[k, $10] = 1
        print cap "\t" t "\t" a "\t" b "\t" $10 >> snis
      }
    }
    END {
      for (j = 1; j <= n; j++) {
        k = order[j]; m = split(plist[k], pl, " "); out = ""
        # most frequent first (selection sort, tiny lists)
        for (x = 1; x <= m; x++) for (y = x + 1; y <= m; y++) if (cnt[k, pl[y]] > cnt[k, pl[x]]) { tmp = pl[x]; pl[x] = pl[y]; pl[y] = tmp }
        for (x = 1; x <= m; x++) out = out (x > 1 ? "," : "") pl[x]
        print cap "\t" k "\t" frames[k] "\t" out >> flows
      }
    }'
  tshark -r "$caps/$cap" -Y 'stun || classicstun' -T fields -E separator='|' -E occurrence=a -E aggregator=',' \
      -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport \
      -e stun.type.class -e stun.att.type -e stun.att.software -e classicstun.type 2>/dev/null |
  awk -F'|' -v cap="$cap" '
    function ep(a, p) { return (a ~ /:/ ? "[" a "]" : a) ":" p }
    function last(v,  x, n) { n = split(v, x, ","); return x[n] }
    {
      src = (last($2) != "") ? last($2) : last($1); dst = (last($4) != "") ? last($4) : last($3)
      if ($5 != "") { t = "TCP"; sp = last($5); dp = last($6) } else { t = "UDP"; sp = last($7); dp = last($8) }
      a = ep(src, sp); b = ep(dst, dp)
      if (a < b) { k = t "\t" a "\t" b } else { k = t "\t" b "\t" a }
      if (!(k in seen)) { seen[k] = 1; order[++n] = k; ice[k] = "no"; sw[k] = "" }
      if ($9 ~ /(^|,)0x0000(,|$)/ || $12 ~ /(^|,)0x0001(,|$)/) {
        if (index(" " req[k] " ", " " a " ") == 0) req[k] = (req[k] == "" ? a : req[k] " " a)
      }
      if (tolower($10) ~ /0x0024|0x0025|0x8029|0x802a/) ice[k] = "yes"
      if (sw[k] == "" && $11 != "") { split($11, s1, ","); sw[k] = s1[1] }
    }
    END { for (j = 1; j <= n; j++) { k = order[j]; print cap "\t" k "\t" req[k] "\t" ice[k] "\t" sw[k] } }' >> "$stun"
  # Answer-section addresses only: dns.resp.type lists every record (answers, authority,
  # additional) in order, dns.a / dns.aaaa the addresses of the A / AAAA ones in the same order.
  tshark -r "$caps/$cap" -Y 'dns && (udp.port == 53 || tcp.port == 53) && !icmp && !icmpv6' -T fields -E separator='|' \
      -E occurrence=a -E aggregator=',' -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst -e tcp.srcport -e tcp.dstport \
      -e udp.srcport -e udp.dstport -e dns.qry.name -e dns.count.answers -e dns.resp.type -e dns.a -e dns.aaaa \
      -e ip.fragment.count -e ipv6.fragment.count 2>/dev/null |
  awk -F'|' -v cap="$cap" '
    function ep(a, p) { return (a ~ /:/ ? "[" a "]" : a) ":" p }
    function last(v,  x, n) { n = split(v, x, ","); return x[n] }
    function add(k, v) { if (v != "" && index("," addrs[k] ",", "," v ",") == 0) addrs[k] = addrs[k] (addrs[k] == "" ? "" : ",") v }
    {
      src = (last($2) != "") ? last($2) : last($1); dst = (last($4) != "") ? last($4) : last($3)
      if ($5 != "") { t = "TCP"; sp = last($5); dp = last($6) } else { t = "UDP"; sp = last($7); dp = last($8) }
      a = ep(src, sp); b = ep(dst, dp)
      if (a < b) { k = t "\t" a "\t" b } else { k = t "\t" b "\t" a }
      if (!(k in seen)) { seen[k] = 1; order[++n] = k; split($9, qn, ","); q[k] = qn[1]; addrs[k] = ""; frag[k] = "no" }
      if ($14 != "" || $15 != "") frag[k] = "yes"
      split($10, ac, ","); nt = split($11, ty, ","); split($12, v4, ","); split($13, v6, ",")
      i4 = 0; i6 = 0
      for (i = 1; i <= nt; i++) {
        if (ty[i] == 1) { i4++; if (i <= ac[1]) add(k, v4[i4]) }
        if (ty[i] == 28) { i6++; if (i <= ac[1]) add(k, v6[i6]) }
      }
    }
    END { for (j = 1; j <= n; j++) { k = order[j]; print cap "\t" k "\t" q[k] "\t" addrs[k] "\t" frag[k] } }' >> "$dns"
  rtp_rows "$caps/$cap" "$cap"
done
for cap in "$here"/../../../../pcaps/*.pcap*; do
  rtp_rows "$cap" "pcaps/$(basename "$cap")"
done
echo "wrote $flows, $snis, $stun, $dns and $rtp"
