/*
 * mraflow_batch: read libpcap packets in batches into a caller-provided buffer, so that one
 * call from Java moves thousands of packets instead of one.
 *
 * Record layout (all fields in host byte order, every record starts 8-byte aligned):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Timestamp, nanoseconds since the epoch (int64)      |  0
 *   |                                                               |
 *   +---------------------------------------------------------------+
 *   |                   Captured length (uint32)                    |  8
 *   +---------------------------------------------------------------+
 *   |                   Wire length (uint32)                        | 12
 *   +---------------------------------------------------------------+
 *   |                   Link type, LINKTYPE_* (uint32)              | 16
 *   +---------------------------------------------------------------+
 *   |     Record length: 24 + captured length rounded up to 8       | 20
 *   +---------------------------------------------------------------+
 *   |                   Captured bytes ...                         ... 24
 *   +---------------------------------------------------------------+
 *   |                   Zero padding to the next multiple of 8      |
 *   +---------------------------------------------------------------+
 *
 * The Java twin of this layout is io.mraflow.capture.batch.BatchRecordDescriptor.
 *
 * Threading: a handle belongs to one thread at a time (libpcap's own rule for pcap_t);
 * mfb_breakloop may be called from any thread.
 */
#ifndef MRAFLOW_BATCH_H
#define MRAFLOW_BATCH_H

#include <stdint.h>

#define MFB_RECORD_HEADER_LENGTH 24
#define MFB_RECORD_ALIGNMENT 8
#define MFB_ERRBUF_SIZE 256 /* PCAP_ERRBUF_SIZE */

/* Why mfb_next_batch returned. */
#define MFB_STATUS_OK 0        /* the buffer is full or max_packets were written: call again */
#define MFB_STATUS_EOF 1       /* no more packets in the file */
#define MFB_STATUS_ERROR 2     /* libpcap failed (damaged file, interface gone): see mfb_error */
#define MFB_STATUS_TIMEOUT 3   /* live capture: no (more) packets ready; with 0 records, timeout_ms passed */
#define MFB_STATUS_TOO_SMALL 4 /* the next record does not fit even an empty buffer; it stays pending */
#define MFB_STATUS_BREAK 5     /* live capture: mfb_breakloop was called */

typedef struct mfb_handle mfb_handle;

/* Opens a pcap or pcapng file with nanosecond timestamps; NULL and errbuf on failure. */
void *mfb_open_offline(const char *path, char *errbuf);

/*
 * Opens a live interface in immediate, non-blocking mode; buffer_bytes <= 0 keeps libpcap's
 * default. mfb_next_batch on it waits up to timeout_ms for a first packet, never for more once it
 * holds one, so a batch is as fresh as the packets in it. NULL and errbuf on failure; warnings
 * from pcap_activate are ignored.
 */
void *mfb_open_live(const char *device, int snaplen, int promisc, int timeout_ms,
                    int buffer_bytes, char *errbuf);

/* The link type of the handle as a LINKTYPE_* value (the file format number, not DLT_*). */
/*
 * Reads batches from a live pcap_t the caller opened and activated (mraflow opens it through
 * pcap4j, which also sets its filter and reads its statistics). The handle is made non-blocking;
 * mfb_close frees the wrapper only: the caller closes the pcap_t, after mfb_close.
 */
void *mfb_wrap_live(void *pcap, int timeout_ms, char *errbuf);

int mfb_datalink(void *h);

/*
 * Writes up to max_packets records into buf[0, capacity) and returns how many. Stops early when
 * the next record does not fit (it is kept and written first by the next call), at the end of the
 * file, on an error, or on a live read timeout. result[0] says which (MFB_STATUS_*), result[1]
 * how many bytes of buf the records fill. After EOF or ERROR every further call returns 0 with
 * the same status. Timestamps of a classic pcap file are read with unsigned seconds, as the
 * format defines them (libpcap itself sign-extends them).
 */
int mfb_next_batch(void *h, uint8_t *buf, int capacity, int max_packets, int32_t *result);

/* The last error of this handle, never NULL ("" when there is none). */
const char *mfb_error(void *h);

/* ftell of the underlying file (where libpcap stopped reading), -1 for live captures. */
long mfb_file_offset(void *h);

/*
 * Makes the current or next mfb_next_batch on a live handle return MFB_STATUS_BREAK, within
 * timeout_ms; any thread may call it (but not after or during mfb_close).
 */
void mfb_breakloop(void *h);

void mfb_close(void *h);

/*
 * CPU time of the calling thread in nanoseconds (CLOCK_THREAD_CPUTIME_ID), -1 when the clock
 * fails. For mraflow's per-thread statistics: Java's own way (java.lang.management) costs tens
 * of milliseconds of start-up on first use.
 */
int64_t mfb_thread_cpu_nanos(void);

#endif
