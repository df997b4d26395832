#!/bin/sh
# Builds libmraflowbatch.so and the benchmark peers (pcap_count, flow_ref) for the Maven build, and never fails it: without gcc
# or libpcap-dev the Java side falls back to the other packet sources, so a missing toolchain is
# reported here (in the build log and in a resource NativeBatch quotes) instead of stopping Maven.
#
# usage: native/build.sh OUT_DIR CLASSES_DIR
#   OUT_DIR      where make writes libmraflowbatch.so, pcap_count and flow_ref (target/native)
#   CLASSES_DIR  target/classes; the library is copied to CLASSES_DIR/<jna-prefix>/ so JNA finds
#                it on the class path (and the shaded jar carries it)
out=$1
classes=$2
here=$(cd "$(dirname "$0")" && pwd)
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) prefix=linux-x86-64 ;;
    Linux-aarch64) prefix=linux-aarch64 ;;
    *) prefix= ;;
esac
failure_note="$classes/io/mraflow/capture/batch/native-build-failure.txt"
mkdir -p "$out" "$(dirname "$failure_note")"

fail() {
    echo "[mraflow native] libmraflowbatch.so NOT built: $1" >&2
    echo "[mraflow native] the batch reader is unavailable; its tests will be skipped" >&2
    printf '%s\n' "$1" > "$failure_note"
    [ -n "$prefix" ] && rm -f "$classes/$prefix/libmraflowbatch.so"
    exit 0
}

[ -n "$prefix" ] || fail "unsupported platform $(uname -s)-$(uname -m)"
command -v "${CC:-gcc}" > /dev/null 2>&1 || fail "no C compiler (${CC:-gcc} not found; apt-get install gcc)"
command -v make > /dev/null 2>&1 || fail "make not found (apt-get install make)"
echo '#include <pcap/pcap.h>' | "${CC:-gcc}" -E -x c - > /dev/null 2>&1 \
    || fail "pcap/pcap.h not found (apt-get install libpcap-dev)"
log=$(make -C "$here" CC="${CC:-gcc}" OUT="$out" 2>&1)
status=$?
echo "$log"
[ $status -eq 0 ] || fail "make -C native failed: $(printf '%s' "$log" | grep -m1 -i error)"
if printf '%s' "$log" | grep -qi 'warning:'; then
    echo "[mraflow native] WARNING: the C compiler gave warnings (see above); they must be fixed" >&2
fi
mkdir -p "$classes/$prefix"
cp "$out/libmraflowbatch.so" "$classes/$prefix/libmraflowbatch.so" || fail "cannot copy the library to $classes/$prefix"
rm -f "$failure_note"
echo "[mraflow native] built $out/libmraflowbatch.so -> $classes/$prefix/"
