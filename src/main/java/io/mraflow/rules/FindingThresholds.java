package io.mraflow.rules;

/**
 * Where a failing flow becomes a finding; {@code --one-way-min-packets} and
 * {@code --rtp-loss-min} on the command line.
 *
 * @param oneWayMinPackets media flowing one way for at least this many packets is
 *                         {@link FindingCode#ONE_WAY_MEDIA} (default 10: 0.2 s of 20 ms audio; a
 *                         few packets one way are ICE checks or a call torn down at once)
 * @param rtpLossMinRatio  RTP loss from this share of the expected packets on is
 *                         {@link FindingCode#RTP_LOSS} (default 0.01: 1 %, where speech starts to
 *                         suffer without concealment)
 */
public record FindingThresholds(int oneWayMinPackets, double rtpLossMinRatio) {
    public static final FindingThresholds DEFAULTS = new FindingThresholds(10, 0.01);

    public FindingThresholds {
        if (oneWayMinPackets < 1) {
            throw new IllegalArgumentException("one-way media needs at least 1 packet, not " + oneWayMinPackets);
        }
        if (!(rtpLossMinRatio > 0 && rtpLossMinRatio <= 1)) {
            throw new IllegalArgumentException("an RTP loss share is above 0 and at most 1, not " + rtpLossMinRatio);
        }
    }
}
