/*
 * pcap_count: the C peer for mraflow's capture benchmarks. Reads a capture with libpcap's
 * pcap_next_ex one packet at a time (nanosecond timestamps, as mraflow asks for) and prints the
 * packet count, the sum of captured lengths, the elapsed time and the rate, so a Java reader's
 * rate can be set against what libpcap itself reaches on the same machine and file.
 *
 * usage: pcap_count FILE [REPEATS]
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [REPEATS]\n", argv[0]);
        return 2;
    }
    const int repeats = argc > 2 ? atoi(argv[2]) : 1;
    for (int r = 0; r < repeats; r++) {
        char errbuf[PCAP_ERRBUF_SIZE];
        const double start = now_seconds();
        pcap_t *p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, errbuf);
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
        const double seconds = now_seconds() - start;
        printf("packets=%llu caplen_sum=%llu seconds=%.3f mpps=%.2f\n",
               packets, bytes, seconds, packets / seconds / 1e6);
    }
    return 0;
}
