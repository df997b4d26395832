/* Batched libpcap reads for mraflow: see mraflow_batch.h for the record layout and the contract. */
#include "mraflow_batch.h"

#define _GNU_SOURCE /* __fsetlocking */
#include <pcap/pcap.h>
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * The stdio buffer of an offline handle. glibc's default is st_blksize (4 KiB), so libpcap's
 * freads cost one read(2) every ~14 packets, and system calls are dear; with this buffer and
 * stdio locking off libpcap's own loop reads several times faster (BENCHMARKS.md, Reading).
 */
#define MFB_FILE_BUFFER_BYTES (256 * 1024)

struct mfb_handle {
    pcap_t *pcap;
    int linktype;
    int sticky_status;                 /* MFB_STATUS_OK, or EOF/ERROR once reached */
    int unsigned_seconds;              /* classic pcap: the format's seconds are unsigned 32-bit */
    char *file_buffer;                 /* offline: the FILE's stdio buffer, freed after pcap_close */
    int live;                          /* a non-blocking live handle: mfb_next_batch waits in poll */
    int borrowed;                      /* the pcap_t belongs to the caller (mfb_wrap_live): not closed here */
    int selectable_fd;                 /* live: the fd to poll, -1 when libpcap offers none */
    int timeout_ms;                    /* live: longest wait for a first packet */
    atomic_int break_requested;        /* set by mfb_breakloop from any thread */
    int pending;                       /* 1 when hdr/data hold a packet not yet written */
    struct pcap_pkthdr pending_hdr;
    const u_char *pending_data;        /* valid until the next pcap_next_ex on this handle */
    char error[PCAP_ERRBUF_SIZE + 128];
};

/*
 * pcap_datalink answers with DLT_* numbers; a few differ from the LINKTYPE_* numbers that pcap
 * files carry and that mraflow uses everywhere (libpcap's own dlt_to_linktype is not exported).
 */
static int dlt_to_linktype(int dlt) {
    if (dlt == DLT_RAW) return 101;          /* LINKTYPE_RAW */
    if (dlt == DLT_ATM_RFC1483) return 100;  /* LINKTYPE_ATM_RFC1483 */
    if (dlt == DLT_SLIP_BSDOS) return 102;   /* LINKTYPE_SLIP_BSDOS */
    if (dlt == DLT_PPP_BSDOS) return 103;    /* LINKTYPE_PPP_BSDOS */
#ifdef DLT_ATM_CLIP
    if (dlt == DLT_ATM_CLIP) return 106;     /* LINKTYPE_ATM_CLIP */
#endif
    return dlt;
}

static mfb_handle *wrap(pcap_t *p) {
    mfb_handle *h = calloc(1, sizeof(*h));
    if (h == NULL) {
        pcap_close(p);
        return NULL;
    }
    h->pcap = p;
    h->linktype = dlt_to_linktype(pcap_datalink(p));
    h->sticky_status = MFB_STATUS_OK;
    return h;
}

void *mfb_open_offline(const char *path, char *errbuf) {
    /* The FILE is ours, so that its buffer is large; libpcap reads it and fcloses it. */
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(errbuf, MFB_ERRBUF_SIZE, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *file_buffer = malloc(MFB_FILE_BUFFER_BYTES);
    if (file_buffer == NULL || setvbuf(f, file_buffer, _IOFBF, MFB_FILE_BUFFER_BYTES) != 0) {
        fclose(f);
        free(file_buffer);
        snprintf(errbuf, MFB_ERRBUF_SIZE, "out of memory");
        return NULL;
    }
    /* One thread reads a handle at a time (the contract above): stdio's per-call lock is waste. */
    __fsetlocking(f, FSETLOCKING_BYCALLER);
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (p == NULL) {
        fclose(f);
        free(file_buffer);
        return NULL;
    }
    mfb_handle *h = wrap(p);
    if (h == NULL) {
        free(file_buffer);
        snprintf(errbuf, MFB_ERRBUF_SIZE, "out of memory");
        return NULL;
    }
    h->file_buffer = file_buffer;
    /*
     * libpcap reads a classic pcap record's seconds as a signed 32-bit number; the format says
     * unsigned (a capture after 2038, or heplify's sip_ipv6_udp.pcap from 2092). pcapng's are 64-bit.
     */
    h->unsigned_seconds = pcap_major_version(p) == 2;
    return h;
}

void *mfb_open_live(const char *device, int snaplen, int promisc, int timeout_ms,
                    int buffer_bytes, char *errbuf) {
    pcap_t *p = pcap_create(device, errbuf);
    if (p == NULL) return NULL;
    pcap_set_snaplen(p, snaplen);
    pcap_set_promisc(p, promisc);
    pcap_set_timeout(p, timeout_ms);
    pcap_set_immediate_mode(p, 1);
    /* not every device offers nanoseconds; mfb_next_batch scales microseconds if refused */
    (void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
    if (buffer_bytes > 0) pcap_set_buffer_size(p, buffer_bytes);
    int rc = pcap_activate(p);
    if (rc < 0) {
        snprintf(errbuf, MFB_ERRBUF_SIZE, "%s: %s", pcap_statustostr(rc), pcap_geterr(p));
        pcap_close(p);
        return NULL;
    }
    /*
     * Non-blocking, and mfb_next_batch does the waiting: libpcap 1.10 on Linux keeps polling
     * through its own read timeouts (pcap_next_ex never returns 0 there), which would hold a part
     * filled batch until the next packet arrives, however long that takes.
     */
    if (pcap_setnonblock(p, 1, errbuf) != 0) {
        pcap_close(p);
        return NULL;
    }
    mfb_handle *h = wrap(p);
    if (h == NULL) {
        snprintf(errbuf, MFB_ERRBUF_SIZE, "out of memory");
        return NULL;
    }
    h->live = 1;
    h->selectable_fd = pcap_get_selectable_fd(p);
    h->timeout_ms = timeout_ms;
    return h;
}

void *mfb_wrap_live(void *pcap, int timeout_ms, char *errbuf) {
    pcap_t *p = pcap;
    /* as mfb_open_live: non-blocking, mfb_next_batch does the waiting */
    if (pcap_setnonblock(p, 1, errbuf) != 0) return NULL;
    mfb_handle *h = calloc(1, sizeof(*h));
    if (h == NULL) {
        snprintf(errbuf, MFB_ERRBUF_SIZE, "out of memory");
        return NULL;
    }
    h->pcap = p;
    h->linktype = dlt_to_linktype(pcap_datalink(p));
    h->sticky_status = MFB_STATUS_OK;
    h->live = 1;
    h->borrowed = 1;
    h->selectable_fd = pcap_get_selectable_fd(p);
    h->timeout_ms = timeout_ms;
    return h;
}

int mfb_datalink(void *vh) {
    return ((mfb_handle *)vh)->linktype;
}

static inline uint32_t record_length(uint32_t caplen) {
    return MFB_RECORD_HEADER_LENGTH
        + ((caplen + (MFB_RECORD_ALIGNMENT - 1)) & ~(uint32_t)(MFB_RECORD_ALIGNMENT - 1));
}

int mfb_next_batch(void *vh, uint8_t *buf, int capacity, int max_packets, int32_t *result) {
    mfb_handle *h = vh;
    if (h->sticky_status != MFB_STATUS_OK) {
        result[0] = h->sticky_status;
        result[1] = 0;
        return 0;
    }
    /* File timestamps are nanoseconds (we asked for them); live ones may be microseconds. */
    const int64_t frac_to_ns =
        pcap_get_tstamp_precision(h->pcap) == PCAP_TSTAMP_PRECISION_NANO ? 1 : 1000;
    const size_t cap = capacity > 0 ? (size_t)capacity : 0;
    size_t used = 0;
    int count = 0;
    int status = MFB_STATUS_OK;
    int waited = 0;
    while (count < max_packets) {
        /* a plain load per packet; the exchange only once a break was asked for */
        if (h->live && atomic_load_explicit(&h->break_requested, memory_order_relaxed)
            && atomic_exchange(&h->break_requested, 0)) {
            status = MFB_STATUS_BREAK;
            break;
        }
        if (!h->pending) {
            struct pcap_pkthdr *hdr;
            const u_char *data;
            int rc = pcap_next_ex(h->pcap, &hdr, &data);
            if (rc == 1) {
                h->pending_hdr = *hdr;
                h->pending_data = data;
                h->pending = 1;
            } else if (rc == 0) {
                /* live and nothing ready: wait once for a first packet, never with some in hand */
                if (count == 0 && !waited && h->live) {
                    struct pollfd pfd = {.fd = h->selectable_fd, .events = POLLIN, .revents = 0};
                    (void)poll(&pfd, 1, h->timeout_ms);
                    waited = 1;
                    continue;
                }
                status = MFB_STATUS_TIMEOUT;
                break;
            } else if (rc == PCAP_ERROR_BREAK) {
                /* offline: the end of the file; live: pcap_breakloop */
                if (pcap_file(h->pcap) != NULL) {
                    status = h->sticky_status = MFB_STATUS_EOF;
                } else {
                    status = MFB_STATUS_BREAK;
                }
                break;
            } else {
                snprintf(h->error, sizeof(h->error), "%s", pcap_geterr(h->pcap));
                status = h->sticky_status = MFB_STATUS_ERROR;
                break;
            }
        }
        const uint32_t caplen = h->pending_hdr.caplen;
        const uint32_t len = record_length(caplen);
        if (len > cap - used) { /* used <= cap always holds */
            if (count == 0) {
                snprintf(h->error, sizeof(h->error),
                         "batch buffer of %d bytes cannot hold the next record of %u bytes "
                         "(%u captured bytes)", capacity, len, caplen);
                status = MFB_STATUS_TOO_SMALL;
            }
            break;
        }
        uint8_t *rec = buf + used;
        int64_t seconds = (int64_t)h->pending_hdr.ts.tv_sec;
        if (h->unsigned_seconds && seconds < 0) seconds += INT64_C(1) << 32;
        const int64_t ts = seconds * 1000000000LL + (int64_t)h->pending_hdr.ts.tv_usec * frac_to_ns;
        const uint32_t wirelen = h->pending_hdr.len;
        const uint32_t linktype = (uint32_t)h->linktype;
        memcpy(rec, &ts, 8);
        memcpy(rec + 8, &caplen, 4);
        memcpy(rec + 12, &wirelen, 4);
        memcpy(rec + 16, &linktype, 4);
        memcpy(rec + 20, &len, 4);
        memcpy(rec + MFB_RECORD_HEADER_LENGTH, h->pending_data, caplen);
        /* zero the padding so batches are deterministic and never leak old bytes */
        memset(rec + MFB_RECORD_HEADER_LENGTH + caplen, 0, len - MFB_RECORD_HEADER_LENGTH - caplen);
        used += len;
        count++;
        h->pending = 0;
    }
    result[0] = status;
    result[1] = (int32_t)used; /* used <= capacity, an int */
    return count;
}

const char *mfb_error(void *vh) {
    return ((mfb_handle *)vh)->error;
}

long mfb_file_offset(void *vh) {
    FILE *f = pcap_file(((mfb_handle *)vh)->pcap);
    return f != NULL ? ftell(f) : -1L;
}

void mfb_breakloop(void *vh) {
    mfb_handle *h = vh;
    atomic_store(&h->break_requested, 1); /* seen at the next packet or after the current poll */
    pcap_breakloop(h->pcap);
}

void mfb_close(void *vh) {
    mfb_handle *h = vh;
    if (h == NULL) return;
    if (!h->borrowed) pcap_close(h->pcap); /* fcloses an offline handle's FILE, which still uses file_buffer */
    free(h->file_buffer);
    free(h);
}

int64_t mfb_thread_cpu_nanos(void) {
    struct timespec t;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0) return -1;
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}
