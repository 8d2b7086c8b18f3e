package io.mcrsrt.ts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PacketReaderTest {
    private static List<Integer> pids(PacketReader r) throws IOException {
        List<Integer> pids = new ArrayList<>();
        TsPacket p = new TsPacket();
        while (r.next(p)) {
            pids.add(p.pid());
        }
        return pids;
    }

    private static byte[] packets(int count) {
        byte[][] parts = new byte[count][];
        for (int i = 0; i < count; i++) {
            parts[i] = TestStreams.packet(100 + i, i, false);
        }
        return TestStreams.concat(parts);
    }

    @Test
    void readsAlignedPackets() throws IOException {
        byte[] b = packets(5);
        PacketReader r = PacketReader.of(b, 0, b.length);
        assertThat(pids(r)).containsExactly(100, 101, 102, 103, 104);
        assertThat(r.packetSize()).isEqualTo(188);
        assertThat(r.syncLosses()).isZero();
        assertThat(r.bytesSkipped()).isZero();
    }

    @Test
    void recoversSyncAfterGarbageBetweenPackets() throws IOException {
        byte[] garbage = new byte[77];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i % 3 == 1 ? 0x47 : i); // sync-like bytes must not fool the resync
        }
        byte[] b = TestStreams.concat(packets(3), garbage, Arrays.copyOfRange(packets(6), 3 * 188, 6 * 188));
        PacketReader r = PacketReader.of(b, 0, b.length);
        assertThat(pids(r)).containsExactly(100, 101, 102, 103, 104, 105);
        assertThat(r.syncLosses()).isEqualTo(1);
        assertThat(r.bytesSkipped()).isEqualTo(77);
    }

    @Test
    void skipsLeadingGarbageAndTrailingPartialPacket() throws IOException {
        byte[] b = TestStreams.concat(new byte[] {1, 2, 3, 4, 5}, packets(4), new byte[] {0x47, 0, 0});
        PacketReader r = PacketReader.of(b, 0, b.length);
        assertThat(pids(r)).containsExactly(100, 101, 102, 103);
        assertThat(r.bytesSkipped()).isEqualTo(8);
    }

    @Test
    void leadingGarbageLongerThanTheReadBufferIsSkippedNotTakenForTheEnd() throws IOException {
        // 20 000 bytes without a packet: more than one read buffer.
        byte[] b = TestStreams.concat(new byte[20_000], packets(5));
        PacketReader r = PacketReader.of(b, 0, b.length);
        assertThat(pids(r)).containsExactly(100, 101, 102, 103, 104);
        assertThat(r.packetSize()).isEqualTo(188);
        assertThat(r.bytesSkipped()).isEqualTo(20_000);
        assertThat(r.syncLosses()).isEqualTo(1);
    }

    @Test
    void straySyncByteAtTheEndOfTheFirstBufferIsNotAPacket() throws IOException {
        // A sync byte with nothing lined up behind it, where the first read buffer ends; packets follow later.
        byte[] garbage = new byte[20_000];
        garbage[13_000] = 0x47;
        byte[] b = TestStreams.concat(garbage, packets(5));
        PacketReader r = PacketReader.of(b, 0, b.length);
        assertThat(pids(r)).containsExactly(100, 101, 102, 103, 104);
        assertThat(r.bytesSkipped()).isEqualTo(20_000);
    }

    @Test
    void stripsReedSolomonParityOf204BytePackets() throws IOException {
        byte[] b188 = packets(5);
        byte[] b = new byte[5 * 204];
        for (int i = 0; i < 5; i++) {
            System.arraycopy(b188, i * 188, b, i * 204, 188);
            Arrays.fill(b, i * 204 + 188, i * 204 + 204, (byte) 0x47);
        }
        PacketReader r = PacketReader.of(b, 0, b.length);
        byte[] out = new byte[188];
        List<Integer> pids = new ArrayList<>();
        while (r.read(out, 0)) {
            pids.add(new TsPacket().wrap(out, 0).pid());
        }
        assertThat(r.packetSize()).isEqualTo(204);
        assertThat(pids).containsExactly(100, 101, 102, 103, 104);
        assertThat(r.syncLosses()).isZero();
    }

    /** {@code count} packets as an M2TS file writes them: a 4-byte arrival timestamp before each. */
    static byte[] m2ts(int count) {
        byte[] b188 = packets(count);
        byte[] b = new byte[count * 192];
        for (int i = 0; i < count; i++) {
            // a timestamp whose first byte is a sync byte must not matter
            b[i * 192] = 0x47;
            b[i * 192 + 3] = (byte) i;
            System.arraycopy(b188, i * 188, b, i * 192 + 4, 188);
        }
        return b;
    }

    @Test
    void dropsTheTimestampBeforeEachPacketOfAn192ByteM2tsStreamAndRewindsPastIt() throws IOException {
        // Before: no packet found at all (the whole file counted as skipped bytes).
        java.nio.file.Path file = java.nio.file.Files.createTempFile("reader", ".m2ts");
        try {
            java.nio.file.Files.write(file, m2ts(5));
            try (PacketReader r = PacketReader.open(file)) {
                assertThat(pids(r)).containsExactly(100, 101, 102, 103, 104);
                assertThat(r.packetSize()).isEqualTo(192);
                r.rewind();
                assertThat(pids(r)).containsExactly(100, 101, 102, 103, 104);
                assertThat(r.syncLosses()).isZero();
                assertThat(r.bytesSkipped()).isZero();
            }
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    /**
     * An M2TS file read from a position at the start of one of its 192-byte units (a recording read from its middle):
     * the timestamp there is the unit's, as at the file's start, not garbage. Before, only a timestamp at offset 0 was
     * taken as one, and a reader opened further on counted a sync loss and 4 skipped bytes in a clean file.
     */
    @Test
    void anM2tsFileReadFromAUnitsStartCountsItsFirstTimestampAsNoGarbage(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("recording.m2ts");
        java.nio.file.Files.write(file, m2ts(8));
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            in.position(3 * 192);
            PacketReader r = PacketReader.of(in);
            assertThat(pids(r)).containsExactly(103, 104, 105, 106, 107);
            assertThat(r.packetSize()).isEqualTo(192);
            assertThat(r.syncLosses()).isZero();
            assertThat(r.bytesSkipped()).isZero();
            r.rewind();
            assertThat(pids(r)).containsExactly(103, 104, 105, 106, 107);
            assertThat(r.bytesSkipped()).isZero();
        }
        // From the middle of a unit, what comes before the next unit's packet is skipped, its timestamp with it, as
        // before.
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            in.position(3 * 192 + 100);
            PacketReader r = PacketReader.of(in);
            assertThat(pids(r)).containsExactly(104, 105, 106, 107);
            assertThat(r.syncLosses()).isEqualTo(1);
            assertThat(r.bytesSkipped()).isEqualTo(192 - 100 + 4);
        }
    }

    @Test
    void aFileCutMidPacketRewindsToItsFirstWholePacketEvenWhenItsFirstByteLooksLikeASyncByte() throws IOException {
        // The tail of a packet, as where a recording was cut, starting with 0x47 by chance. Before, the second pass
        // trusted offset 0 as a packet (a packet expected there) and delivered those bytes, and lost a real packet.
        byte[] tail = new byte[100];
        tail[0] = TsPacket.SYNC_BYTE;
        tail[1] = 0x04;
        tail[2] = 0x20;
        java.nio.file.Path file = java.nio.file.Files.createTempFile("reader", ".ts");
        try {
            java.nio.file.Files.write(file, TestStreams.concat(tail, packets(5)));
            try (PacketReader r = PacketReader.open(file)) {
                assertThat(pids(r)).containsExactly(100, 101, 102, 103, 104);
                long skipped = r.bytesSkipped();
                r.rewind();
                assertThat(pids(r)).containsExactly(100, 101, 102, 103, 104);
                assertThat(r.bytesSkipped()).as("the partial packet is not read again").isEqualTo(skipped);
            }
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void readsRealFileAndRewinds() throws IOException {
        try (PacketReader r = PacketReader.open(Fixtures.small())) {
            TsPacket p = new TsPacket();
            long n = 0;
            int firstPid = -1;
            while (r.next(p)) {
                if (firstPid < 0) {
                    firstPid = p.pid();
                }
                assertThat(p.hasSyncByte()).isTrue();
                n++;
            }
            assertThat(n * 188).isEqualTo(java.nio.file.Files.size(Fixtures.small()));
            r.rewind();
            assertThat(r.next(p)).isTrue();
            assertThat(p.pid()).isEqualTo(firstPid);
        }
    }

    /**
     * A long recording read from a position past 4 GiB (a sparse file: only its last packets are written, so the test
     * costs a few blocks of disk): the offsets are the file's, beyond what an int holds, and rewind goes back to the
     * first packet found there. Before, a reader over a channel opened at a position counted offsets from that
     * position, and rewind sought to that count from the file's start: into the zeros 4 GiB before the packets.
     */
    @Test
    void aReaderOverAFilePositionedPastFourGibKeepsTheFilesOffsetsAndRewindsToItsFirstPacket(@TempDir Path dir)
            throws IOException {
        long from = 4L << 30;
        long first = from + 1000; // after some bytes of garbage (zeros), not on a packet boundary
        byte[] packets = TestStreams.concat(TestStreams.packet(0x100, 0, true), TestStreams.packet(0x100, 1, false),
                TestStreams.packet(0x100, 2, false), TestStreams.packet(0x100, 3, false));
        Path file = dir.resolve("recording.ts");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            out.write(ByteBuffer.wrap(packets), first);
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            in.position(from);
            PacketReader reader = PacketReader.of(in);
            TsPacket p = new TsPacket();
            List<Long> offsets = new ArrayList<>();
            while (reader.next(p)) {
                offsets.add(reader.lastPacketOffset());
            }
            assertThat(offsets).containsExactly(first, first + 188, first + 2 * 188, first + 3 * 188);
            assertThat(reader.bytesSkipped()).isEqualTo(1000);

            reader.rewind();
            assertThat(reader.next(p)).isTrue();
            assertThat(reader.lastPacketOffset()).isEqualTo(first);
            assertThat(p.continuityCounter()).isZero();
            assertThat(reader.bytesSkipped()).as("nothing skipped on the second pass").isEqualTo(1000);
        }
    }
}
