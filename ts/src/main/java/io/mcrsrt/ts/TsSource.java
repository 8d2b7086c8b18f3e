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

    @Override
    void close() throws IOException;
}
