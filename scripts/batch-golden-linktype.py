"""Reads tshark's 'epoch<TAB>caplen<TAB>len<TAB>interface_id<TAB>md5' lines on stdin and writes
'ts_ns<TAB>caplen<TAB>len<TAB>linktype<TAB>md5', taking the link type from the capture file itself:
the pcap header, or the pcapng Interface Description Block the packet's interface id names."""
import struct
import sys


def link_types(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        return [struct.unpack("<I", data[20:24])[0] & 0x0FFFFFFF]
    if magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        return [struct.unpack(">I", data[20:24])[0] & 0x0FFFFFFF]
    if magic != b"\x0a\x0d\x0d\x0a":
        return []
    types, off, endian = [], 0, "<"
    while off + 12 <= len(data):
        if data[off:off + 4] == b"\x0a\x0d\x0d\x0a":
            endian = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        btype, blen = struct.unpack(endian + "II", data[off:off + 8])
        if btype == 1:
            types.append(struct.unpack(endian + "H", data[off + 8:off + 10])[0])
        if blen < 12:
            break
        off += blen
    return types


def nanos(epoch):
    sec, _, frac = epoch.partition(".")
    neg = sec.startswith("-")
    value = abs(int(sec)) * 1_000_000_000 + int((frac + "000000000")[:9])
    return -value if neg else value


types = link_types(sys.argv[1])
for line in sys.stdin:
    epoch, caplen, length, iface, md5 = (line.rstrip("\n").split("\t") + ["", "", "", "", ""])[:5]
    i = int(iface) if iface else 0
    lt = types[i] if i < len(types) else -1
    print(f"{nanos(epoch)}\t{caplen}\t{length}\t{lt}\t{md5}")
