/*
 * flow_ref: the C reference for mraflow's capture benchmark, "the practical limit" row. It does the
 * core of what mraflow does for every packet, and nothing else, as directly as C allows:
 *   - the capture file mmap'ed whole (no read(2) copies, no libpcap), its records walked in place:
 *     classic pcap (microsecond or nanosecond, either byte order) and pcapng (sections of either
 *     byte order, several interfaces, enhanced and simple packet blocks, if_tsresol);
 *   - Ethernet with up to two VLAN tags, IPv4 (non-first fragments have no ports) and IPv6 (hop-by-
 *     hop, routing and destination options headers skipped), TCP and UDP ports;
 *   - a 65,536-entry table marking the service ports of the MRA port reference (the single ports
 *     of rules/mra-ports.tsv's port columns), looked up for both ports of every flow's first
 *     packet, as a classifier would (mra_flows: the flows with such a port);
 *   - a flow table keyed by the canonical 5-tuple (lower address:port first), open addressing with
 *     linear probing, one compact record a flow: packets and bytes per direction, last time seen.
 * What mraflow does besides (payload inspection, the verdicts, the report, idle timeouts and
 * eviction) is left out on purpose: this row is what the core work costs without them.
 *
 * usage: flow_ref [--ports TSV] FILE   (TSV default: src/main/resources/rules/mra-ports.tsv)
 * prints: packets=N flows=N mra_flows=N non_ip=N (not IP, or not Ethernet) seconds=S mpps=R cpu_seconds=S cpu_mpps=R
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One flow. Addresses as 16 bytes (IPv4 mapped into IPv6), so one key layout serves both. */
typedef struct {
    uint8_t lo[16], hi[16];   /* canonical order: (lo, lo_port) < (hi, hi_port) */
    uint16_t lo_port, hi_port;
    uint8_t proto, used, mra, pad;
    uint32_t packets[2];      /* [0]: sent by lo, [1]: sent by hi */
    uint64_t bytes[2];
    int64_t last_ns;
} flow_t;

static flow_t *table;
static size_t capacity = 1 << 16, flows, mra_flows; /* capacity: a power of two */
static uint8_t mra_port[65536];

static double seconds_of(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t hash_key(const flow_t *k) {
    uint64_t w[4], h = (uint64_t)k->lo_port << 24 ^ (uint64_t)k->hi_port << 8 ^ k->proto;
    memcpy(w, k->lo, 16);
    memcpy(w + 2, k->hi, 16);
    for (int i = 0; i < 4; i++) h = (h ^ w[i]) * 0x9E3779B97F4A7C15ull;
    return h ^ h >> 29;
}

static int same_key(const flow_t *a, const flow_t *b) {
    return a->lo_port == b->lo_port && a->hi_port == b->hi_port && a->proto == b->proto &&
           memcmp(a->lo, b->lo, 16) == 0 && memcmp(a->hi, b->hi, 16) == 0;
}

/* The slot holding key k, or the empty slot where it goes (the table is never full). */
static flow_t *slot_of(flow_t *t, size_t cap, const flow_t *k) {
    size_t i = hash_key(k) & (cap - 1);
    while (t[i].used && !same_key(&t[i], k)) i = (i + 1) & (cap - 1);
    return &t[i];
}

/* Doubles the table at half full, so probe runs stay short. */
static void grow(void) {
    const size_t cap = capacity * 2;
    flow_t *t = calloc(cap, sizeof *t);
    if (t == NULL) { perror("calloc"); exit(1); }
    for (size_t i = 0; i < capacity; i++)
        if (table[i].used) *slot_of(t, cap, &table[i]) = table[i];
    free(table);
    table = t;
    capacity = cap;
}

/*
 * Marks the single ports of a port column (alternatives joined by |). The ranges there (1024-65535,
 * >=1024, 30000-35999, eph, ${media-range} ...) are client, media and relay ranges that match most
 * ports, so the service ports are what tells an MRA flow at a glance.
 */
static void mark_ports(const char *field) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", field);
    for (char *save, *alt = strtok_r(buf, "|", &save); alt; alt = strtok_r(NULL, "|", &save)) {
        char *end;
        const long p = strtol(alt, &end, 10);
        if (end != alt && *end == '\0' && p > 0 && p < 65536) mra_port[p] = 1;
    }
}

/* Columns 4 and 7 (opener_ports, responder_ports) of every row. */
static void load_ports(const char *path) {
    FILE *f = fopen(path, "r");
    if (f == NULL) { perror(path); exit(2); }
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char *rest = line; /* strsep, not strtok: an empty column is still a column */
        for (int c = 1; c <= 7 && rest != NULL; c++) {
            const char *col = strsep(&rest, "\t");
            if (c == 4 || c == 7) mark_ports(col);
        }
    }
    fclose(f);
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static unsigned long long packets, non_ip;

/* Decodes one Ethernet frame and counts it into its flow. */
static void packet(const uint8_t *d, uint32_t len, uint32_t wire_len, int64_t ts_ns) {
    packets++;
    flow_t k;
    memset(&k, 0, sizeof k); /* the padding too: keys are compared and hashed as bytes */
    if (len < 14) { non_ip++; return; }
    uint16_t type = be16(d + 12);
    uint32_t at = 14;
    for (int tags = 0; (type == 0x8100 || type == 0x88A8) && tags < 2 && at + 4 <= len; tags++) {
        type = be16(d + at + 2);
        at += 4;
    }
    const uint8_t *src, *dst;
    uint32_t l4;
    uint8_t proto;
    int ports = 1; /* 0 for a non-first IPv4 fragment */
    if (type == 0x0800 && at + 20 <= len && d[at] >> 4 == 4) {
        static uint8_t s4[16] = {[10] = 0xFF, [11] = 0xFF}, d4[16] = {[10] = 0xFF, [11] = 0xFF};
        memcpy(s4 + 12, d + at + 12, 4);
        memcpy(d4 + 12, d + at + 16, 4);
        src = s4;
        dst = d4;
        proto = d[at + 9];
        ports = (be16(d + at + 6) & 0x1FFF) == 0;
        l4 = at + (d[at] & 15) * 4u;
    } else if (type == 0x86DD && at + 40 <= len) {
        src = d + at + 8;
        dst = d + at + 24;
        proto = d[at + 6];
        l4 = at + 40;
        while ((proto == 0 || proto == 43 || proto == 60) && l4 + 8 <= len) {
            proto = d[l4];
            l4 += (d[l4 + 1] + 1u) * 8;
        }
    } else {
        non_ip++;
        return;
    }
    uint16_t sp = 0, dp = 0;
    if (ports && (proto == 6 || proto == 17) && l4 + 4 <= len) {
        sp = be16(d + l4);
        dp = be16(d + l4 + 2);
    }
    /* canonical order: the lower (address, port) first; dir says who sent this packet */
    int c = memcmp(src, dst, 16);
    int dir = c > 0 || (c == 0 && sp > dp);
    memcpy(k.lo, dir ? dst : src, 16);
    memcpy(k.hi, dir ? src : dst, 16);
    k.lo_port = dir ? dp : sp;
    k.hi_port = dir ? sp : dp;
    k.proto = proto;
    flow_t *f = slot_of(table, capacity, &k);
    if (!f->used) {
        *f = k;
        f->used = 1;
        f->mra = mra_port[sp] | mra_port[dp];
        mra_flows += f->mra;
        if (++flows * 2 > capacity) {
            grow();
            f = slot_of(table, capacity, &k);
        }
    }
    f->packets[dir]++;
    f->bytes[dir] += wire_len;
    f->last_ns = ts_ns;
}

/* Reads 16/32-bit fields in the byte order of the file or section (swap: it differs from ours). */
static int swap;
static uint16_t u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return swap ? __builtin_bswap16(v) : v; }
static uint32_t u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return swap ? __builtin_bswap32(v) : v; }

static void walk_pcap(const uint8_t *m, size_t size) {
    const uint32_t magic = u32(m); /* swap is 0 here */
    swap = magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1;
    const int nanos = magic == 0xA1B23C4D || magic == 0x4D3CB2A1;
    const int ethernet = (u32(m + 20) & 0xFFFF) == 1; /* other link types: counted, not decoded */
    for (size_t at = 24; at + 16 <= size;) {
        const uint32_t caplen = u32(m + at + 8);
        if (caplen > size - at - 16) break; /* cut short */
        const int64_t ts = (int64_t)u32(m + at) * 1000000000 + (int64_t)u32(m + at + 4) * (nanos ? 1 : 1000);
        if (ethernet) packet(m + at + 16, caplen, u32(m + at + 12), ts);
        else packets++, non_ip++;
        at += 16 + caplen;
    }
}

#define MAX_IF 64
static void walk_pcapng(const uint8_t *m, size_t size) {
    int ifs = 0, linktype[MAX_IF];
    uint32_t snaplen[MAX_IF];
    int64_t units[MAX_IF]; /* timestamp units per second */
    int64_t ns_per_unit[MAX_IF]; /* 1e9 / units when exact (micro- and nanoseconds): a multiply, no divide */
    for (size_t at = 0; at + 12 <= size;) {
        uint32_t type = u32(m + at);
        if (type == 0x0A0D0D0A) { /* section header: its own byte order, interfaces start over */
            swap = 0;
            swap = u32(m + at + 8) != 0x1A2B3C4D;
            ifs = 0;
        }
        const uint32_t blen = u32(m + at + 4);
        if (blen < 12 || blen > size - at) break; /* damaged or cut short */
        const uint8_t *b = m + at + 8, *end = m + at + blen - 4;
        if (type == 1 && ifs < MAX_IF) { /* interface description; options for if_tsresol */
            linktype[ifs] = u16(b);
            snaplen[ifs] = u32(b + 4);
            units[ifs] = 1000000;
            for (const uint8_t *o = b + 8; o + 4 <= end && u16(o) != 0; o += 4 + ((u16(o + 2) + 3u) & ~3u)) {
                if (u16(o) == 9 && u16(o + 2) >= 1) {
                    int64_t u = 1;
                    for (int e = 0; e < (o[4] & 0x7F); e++) u *= (o[4] & 0x80) ? 2 : 10;
                    units[ifs] = u;
                }
            }
            ns_per_unit[ifs] = 1000000000 % units[ifs] == 0 ? 1000000000 / units[ifs] : 0;
            ifs++;
        } else if (type == 6 && b + 20 <= end) { /* enhanced packet */
            const uint32_t id = u32(b), caplen = u32(b + 12);
            if (id < (uint32_t)ifs && linktype[id] == 1 && caplen <= (size_t)(end - b - 20)) {
                const uint64_t t = (uint64_t)u32(b + 4) << 32 | u32(b + 8);
                const int64_t ns = ns_per_unit[id] ? (int64_t)t * ns_per_unit[id]
                    : (int64_t)(t / units[id]) * 1000000000 + (int64_t)(t % units[id]) * 1000000000 / units[id];
                packet(b + 20, caplen, u32(b + 16), ns);
            } else {
                packets++, non_ip++;
            }
        } else if (type == 3 && b + 4 <= end && ifs > 0) { /* simple packet: interface 0, no time */
            uint32_t wire = u32(b), caplen = wire < snaplen[0] || snaplen[0] == 0 ? wire : snaplen[0];
            if (caplen > (size_t)(end - b - 4)) caplen = (uint32_t)(end - b - 4);
            if (linktype[0] == 1) packet(b + 4, caplen, wire, 0);
            else packets++, non_ip++;
        }
        at += blen;
    }
}

int main(int argc, char **argv) {
    const char *ports = "src/main/resources/rules/mra-ports.tsv";
    if (argc == 4 && strcmp(argv[1], "--ports") == 0) {
        ports = argv[2];
        argv += 2;
        argc -= 2;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: %s [--ports TSV] FILE\n", argv[0]);
        return 2;
    }
    load_ports(ports);
    const double start = seconds_of(CLOCK_MONOTONIC), cpu_start = seconds_of(CLOCK_PROCESS_CPUTIME_ID);
    const int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 24) { perror(argv[1]); return 1; }
    /* MAP_POPULATE maps the file's pages (in the page cache: the bench warms it) at once, instead
       of one page fault per few pages during the walk */
    const uint8_t *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (m == MAP_FAILED) { perror("mmap"); return 1; }
    madvise((void *)m, (size_t)st.st_size, MADV_SEQUENTIAL);
    table = calloc(capacity, sizeof *table);
    if (table == NULL) { perror("calloc"); return 1; }
    uint32_t magic;
    memcpy(&magic, m, 4);
    if (magic == 0x0A0D0D0A) walk_pcapng(m, (size_t)st.st_size);
    else if (magic == 0xA1B2C3D4 || magic == 0xD4C3B2A1 || magic == 0xA1B23C4D || magic == 0x4D3CB2A1)
        walk_pcap(m, (size_t)st.st_size);
    else { fprintf(stderr, "%s: not a pcap or pcapng file\n", argv[1]); return 1; }
    const double seconds = seconds_of(CLOCK_MONOTONIC) - start;
    const double cpu_seconds = seconds_of(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
    printf("packets=%llu flows=%zu mra_flows=%zu non_ip=%llu seconds=%.3f mpps=%.2f cpu_seconds=%.3f cpu_mpps=%.2f\n",
           packets, flows, mra_flows, non_ip, seconds, packets / seconds / 1e6, cpu_seconds,
           packets / cpu_seconds / 1e6);
    return 0;
}
