package io.mcrsrt.streamer.impair;

/**
 * What the emulator did to one direction since it started.
 *
 * @param received datagrams that arrived at the emulator
 * @param forwarded datagrams sent on after their delay
 * @param lostRandom datagrams dropped as single random losses
 * @param lostBurst datagrams dropped inside loss runs longer than one
 * @param droppedQueue datagrams dropped because the rate-limited queue was full
 * @param reordered datagrams held back so that later ones overtook them
 * @param droppedOther datagrams that could not be forwarded (no client known yet, socket error, still waiting out
 *     their delay when the relay stopped), and those the far end refused after they were forwarded (ICMP port
 *     unreachable: nothing listens there)
 * @param bytesForwarded payload bytes sent on
 * @param maxLateMs the most a delayed datagram left after its due time: the emulation's own timing error, which
 *     grows when the machine is too busy to run the relay on time
 */
public record DirectionCounters(
        long received,
        long forwarded,
        long lostRandom,
        long lostBurst,
        long droppedQueue,
        long reordered,
        long droppedOther,
        long bytesForwarded,
        double maxLateMs) {

    /** Every datagram dropped on purpose or not. */
    public long dropped() {
        return lostRandom + lostBurst + droppedQueue + droppedOther;
    }

    /** Share of received datagrams lost on purpose, in percent. */
    public double lossPercent() {
        return received == 0 ? 0 : 100.0 * (lostRandom + lostBurst) / received;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "received %d, forwarded %d, lost %d (random %d, burst %d, %.2f %%), queue drops %d, reordered %d,"
                        + " other drops %d, at worst %.1f ms late",
                received, forwarded, lostRandom + lostBurst, lostRandom, lostBurst, lossPercent(), droppedQueue,
                reordered, droppedOther, maxLateMs);
    }
}
