/*
 * gen_capture: writes a synthetic pcap (Ethernet/IPv4, nanosecond timestamps) for throughput
 * benchmarks: PACKETS packets over 4096 UDP and TCP flows, frame lengths 66/200/590/1000 bytes
 * in proportions 40/35/15/10 (mean 285 bytes). Deterministic (fixed seed). The packets are
 * well-formed enough to decode; their payloads are filler.
 *
 * usage: gen_capture OUT.pcap [PACKETS]   (default 5,000,000)
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 2463534242u;
static uint32_t next_random(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static uint16_t ip_checksum(const uint8_t *h, int len) {
    uint32_t sum = 0;
    for (int i = 0; i < len; i += 2) sum += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s OUT.pcap [PACKETS]\n", argv[0]);
        return 2;
    }
    const long packets = argc > 2 ? atol(argv[2]) : 5000000L;
    pcap_t *dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
    pcap_dumper_t *out = pcap_dump_open(dead, argv[1]);
    if (out == NULL) {
        fprintf(stderr, "%s: %s\n", argv[1], pcap_geterr(dead));
        return 1;
    }
    static const int lengths[4] = {66, 200, 590, 1000};
    uint8_t frame[1000];
    memset(frame, 0x5a, sizeof(frame));
    uint64_t ts = 1700000000ULL * 1000000000ULL;
    for (long i = 0; i < packets; i++) {
        const uint32_t r = next_random();
        const uint32_t pick = r % 100;
        const int len = lengths[pick < 40 ? 0 : pick < 75 ? 1 : pick < 90 ? 2 : 3];
        const uint32_t flow = (r >> 8) % 4096;
        const int tcp = (flow & 1) != 0;
        uint8_t *eth = frame, *ip = frame + 14, *l4 = frame + 34;
        memcpy(eth, "\x00\x50\x56\x01\x02\x03\x00\x50\x56\x0a\x0b\x0c\x08\x00", 14);
        memset(ip, 0, 20);
        ip[0] = 0x45;
        const uint16_t ip_len = (uint16_t)(len - 14);
        ip[2] = (uint8_t)(ip_len >> 8);
        ip[3] = (uint8_t)ip_len;
        ip[8] = 64;
        ip[9] = tcp ? 6 : 17;
        memcpy(ip + 12, "\x0a\x00\x00\x01", 4);
        ip[15] = (uint8_t)(flow & 0xff);
        memcpy(ip + 16, "\xc0\xa8\x01\x00", 4);
        ip[19] = (uint8_t)(flow >> 8);
        const uint16_t csum = ip_checksum(ip, 20);
        ip[10] = (uint8_t)(csum >> 8);
        ip[11] = (uint8_t)csum;
        const uint16_t sport = (uint16_t)(36000 + flow), dport = tcp ? 5061 : 36002;
        l4[0] = (uint8_t)(sport >> 8);
        l4[1] = (uint8_t)sport;
        l4[2] = (uint8_t)(dport >> 8);
        l4[3] = (uint8_t)dport;
        if (tcp) {
            memset(l4 + 4, 0, 16);
            l4[12] = 0x50;
            l4[13] = 0x18; /* PSH ACK */
        } else {
            const uint16_t udp_len = (uint16_t)(ip_len - 20);
            l4[4] = (uint8_t)(udp_len >> 8);
            l4[5] = (uint8_t)udp_len;
            l4[6] = l4[7] = 0;
        }
        struct pcap_pkthdr h;
        ts += 1000 + r % 50000;
        h.ts.tv_sec = (time_t)(ts / 1000000000ULL);
        h.ts.tv_usec = (suseconds_t)(ts % 1000000000ULL); /* nanoseconds: the dumper is NANO */
        h.caplen = h.len = (bpf_u_int32)len;
        pcap_dump((u_char *)out, &h, frame);
    }
    pcap_dump_close(out);
    pcap_close(dead);
    return 0;
}
