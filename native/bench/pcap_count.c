/*
 * pcap_count: the C peer for mraflow's capture benchmarks. Reads a capture with libpcap's
 * pcap_next_ex one packet at a time (nanosecond timestamps, as mraflow asks for) and prints the
 * packet count, the sum of captured lengths, the elapsed and CPU time and the rates by each, so a
 * Java reader's rate can be set against what libpcap itself reaches on the same machine and file.
 * On a shared machine the CPU-time rate is the one to compare: it does not count waiting for a core.
 *
 * With --stdio-buffer BYTES the file is opened the way mraflow's batch reader opens it (its own
 * FILE with a BYTES stdio buffer and stdio locking off, handed to pcap_fopen_offline), so the
 * gain of that alone can be told apart from the rest of mraflow's reader.
 *
 * usage: pcap_count [--stdio-buffer BYTES] FILE [REPEATS]
 */
#define _GNU_SOURCE /* __fsetlocking */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds_of(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    const char *program = argv[0];
    long stdio_buffer = 0;
    if (argc > 2 && strcmp(argv[1], "--stdio-buffer") == 0) {
        stdio_buffer = atol(argv[2]);
        argv += 2;
        argc -= 2;
    }
    if (argc < 2 || stdio_buffer < 0) {
        fprintf(stderr, "usage: %s [--stdio-buffer BYTES] FILE [REPEATS]\n", program);
        return 2;
    }
    const int repeats = argc > 2 ? atoi(argv[2]) : 1;
    for (int r = 0; r < repeats; r++) {
        char errbuf[PCAP_ERRBUF_SIZE];
        const double start = seconds_of(CLOCK_MONOTONIC);
        const double cpu_start = seconds_of(CLOCK_PROCESS_CPUTIME_ID);
        pcap_t *p;
        char *buffer = NULL;
        if (stdio_buffer > 0) {
            FILE *f = fopen(argv[1], "rb");
            buffer = malloc((size_t)stdio_buffer);
            if (f == NULL || buffer == NULL || setvbuf(f, buffer, _IOFBF, (size_t)stdio_buffer) != 0) {
                fprintf(stderr, "%s: cannot open with a %ld-byte stdio buffer\n", argv[1], stdio_buffer);
                return 1;
            }
            __fsetlocking(f, FSETLOCKING_BYCALLER);
            p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
        } else {
            p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, errbuf);
        }
        if (p == NULL) {
            fprintf(stderr, "%s: %s\n", argv[1], errbuf);
            return 1;
        }
        struct pcap_pkthdr *hdr;
        const u_char *data;
        unsigned long long packets = 0, bytes = 0;
        int rc;
        while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
            packets++;
            bytes += hdr->caplen;
        }
        if (rc == PCAP_ERROR) fprintf(stderr, "%s: %s\n", argv[1], pcap_geterr(p));
        pcap_close(p);
        free(buffer);
        const double seconds = seconds_of(CLOCK_MONOTONIC) - start;
        const double cpu_seconds = seconds_of(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
        printf("packets=%llu caplen_sum=%llu seconds=%.3f mpps=%.2f cpu_seconds=%.3f cpu_mpps=%.2f\n",
               packets, bytes, seconds, packets / seconds / 1e6, cpu_seconds, packets / cpu_seconds / 1e6);
    }
    return 0;
}
