package io.mcrsrt.streamer.nettest;

import java.util.OptionalDouble;

/**
 * What {@code ping} measured.
 *
 * @param transmitted echo requests sent
 * @param received echo replies received
 * @param lossPercent packet loss as ping reports it
 * @param rttMs average round-trip time, empty when no reply came
 * @param jitterMs ping's mdev (mean deviation of the RTT), empty when no reply came
 */
public record PingResult(int transmitted, int received, double lossPercent, OptionalDouble rttMs,
        OptionalDouble jitterMs) {
}
