package io.mraflow.rules;

/**
 * Where a failing flow becomes a finding; {@code --one-way-min-packets}, {@code --rtp-loss-min}
 * and {@code --rtp-jitter-max} on the command line.
 *
 * @param oneWayMinPackets media flowing one way for at least this many packets is
 *                         {@link FindingCode#ONE_WAY_MEDIA} (default 10: 0.2 s of 20 ms audio; a
 *                         few packets one way are ICE checks or a call torn down at once)
 * @param rtpLossMinRatio  RTP loss from this share of the expected packets on is
 *                         {@link FindingCode#RTP_LOSS} (default 0.01: 1 %, where speech starts to
 *                         suffer without concealment)
 * @param rtpJitterMaxMs   an RTP stream whose interarrival jitter (RFC 3550 A.8) reached this many
 *                         milliseconds is {@link FindingCode#RTP_JITTER} (default 30: Cisco's
 *                         collaboration design guides budget voice at 30 ms jitter, as they budget
 *                         it at 1 % loss; beyond it a jitter buffer sized for 20 ms frames starts
 *                         to drop late packets or grow the delay)
 */
public record FindingThresholds(int oneWayMinPackets, double rtpLossMinRatio, double rtpJitterMaxMs) {
    public static final FindingThresholds DEFAULTS = new FindingThresholds(10, 0.01, 30);

    public FindingThresholds {
        if (oneWayMinPackets < 1) {
            throw new IllegalArgumentException("one-way media needs at least 1 packet, not " + oneWayMinPackets);
        }
        if (!(rtpLossMinRatio > 0 && rtpLossMinRatio <= 1)) {
            throw new IllegalArgumentException("an RTP loss share is above 0 and at most 1, not " + rtpLossMinRatio);
        }
        if (!(rtpJitterMaxMs > 0 && rtpJitterMaxMs <= 10_000)) {
            throw new IllegalArgumentException("an RTP jitter threshold is above 0 and at most 10000 ms, not " + rtpJitterMaxMs);
        }
    }
}
