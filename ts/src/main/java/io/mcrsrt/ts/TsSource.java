package io.mcrsrt.ts;

import java.io.IOException;

/** Something that yields transport stream packets one at a time: a file, a looped file, a network input. */
public interface TsSource extends AutoCloseable {
    /**
     * Copies the next 188-byte packet into {@code dst} at {@code offset}.
     *
     * @return false at the end of the stream (nothing was copied)
     */
    boolean read(byte[] dst, int offset) throws IOException;

    /**
     * The rate, in 27 MHz ticks per packet, at which the packets across a jump of the PCR inside the stream played
     * (two recordings joined) are best timed: a looped file's average over its continuous stretches, which its
     * playing time is measured by. 0 when the source cannot tell; a pacer then times them at the last rate it
     * measured, the rate of one PCR interval.
     */
    default double jumpTicksPerPacket() {
        return 0;
    }

    @Override
    void close() throws IOException;
}
