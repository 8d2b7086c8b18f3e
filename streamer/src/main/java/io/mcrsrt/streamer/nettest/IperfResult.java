package io.mcrsrt.streamer.nettest;

import java.util.OptionalDouble;

/**
 * What {@code iperf3} measured.
 *
 * @param udp true for a UDP test (loss and jitter measured), false for TCP (bandwidth only)
 * @param bandwidthMbps throughput the receiver saw, in Mbit/s
 * @param lossPercent UDP datagrams lost, empty for TCP
 * @param jitterMs UDP jitter (RFC 3550 style, as iperf3 reports it), empty for TCP
 * @param packets UDP datagrams sent, 0 for TCP
 * @param lostPackets UDP datagrams lost, 0 for TCP
 */
public record IperfResult(boolean udp, double bandwidthMbps, OptionalDouble lossPercent, OptionalDouble jitterMs,
        long packets, long lostPackets) {
}
