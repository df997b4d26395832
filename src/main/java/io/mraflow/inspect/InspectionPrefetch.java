package io.mraflow.inspect;

/**
 * Brings into the cache, for a batch of packets, the payload state the inspector will update for
 * each: the flow's {@link FlowInspection}, the direction's {@link RtpSources}, its latest
 * {@link RtpStream} and that stream's histogram bucket. Each of these is reached through the one
 * before, so for one packet they are misses in a row; taken a level at a time over the whole
 * batch, the misses of different packets are in flight together. Reads only, changes nothing.
 * One per worker thread; allocates only when a larger batch than before is given.
 */
public final class InspectionPrefetch {
    private RtpSources[] sources = new RtpSources[0];
    private RtpStream[] streams = new RtpStream[0];

    /**
     * Touches the state of {@code flows[k]} (null: nothing) in direction {@code fromOrig[k]}, for
     * {@code k < n}. Returns a sum of what was read, for the caller to keep, so that the compiler
     * cannot drop the loads.
     */
    public long touch(final FlowInspection[] flows, final boolean[] fromOrig, final int n) {
        if (sources.length < n) {
            sources = new RtpSources[n];
            streams = new RtpStream[n];
        }
        long touched = 0;
        for (int k = 0; k < n; k++) {
            final FlowInspection f = flows[k];
            if (f == null) {
                sources[k] = null;
                continue;
            }
            touched += f.payloadPacketsOrig + f.payloadPacketsResp + f.helloState;
            sources[k] = fromOrig[k] ? f.rtpOrig : f.rtpResp;
        }
        for (int k = 0; k < n; k++) {
            final RtpSources s = sources[k];
            streams[k] = s == null ? null : s.latest();
            sources[k] = null; // hold no ended flow's state past the batch
        }
        for (int k = 0; k < n; k++) {
            final RtpStream s = streams[k];
            if (s != null) {
                touched += s.touch();
                streams[k] = null;
            }
        }
        return touched;
    }
}
