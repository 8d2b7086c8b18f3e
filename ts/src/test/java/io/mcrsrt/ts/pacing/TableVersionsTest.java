package io.mcrsrt.ts.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.ts.TestStreams;
import io.mcrsrt.ts.TsPacket;
import io.mcrsrt.ts.psi.Crc32Mpeg;
import io.mcrsrt.ts.psi.Sdt;
import io.mcrsrt.ts.psi.SectionAssembler;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableVersionsTest {
    private static final int PMT_PID = 0x1000;

    /** A PMT section of {@code streams} streams with a 16-byte descriptor each, at {@code version}, CRC_32 right. */
    private static byte[] pmt(int version, int streams, int firstPid) {
        int length = 12 + streams * (5 + 18) + 4;
        byte[] s = new byte[length];
        s[0] = 0x02;
        s[1] = (byte) (0xB0 | (length - 3) >> 8);
        s[2] = (byte) (length - 3);
        s[3] = 0;
        s[4] = 1;
        s[5] = (byte) (0xC1 | version << 1);
        s[8] = (byte) (0xE0 | firstPid >> 8);
        s[9] = (byte) firstPid;
        s[10] = (byte) 0xF0;
        for (int k = 0, i = 12; k < streams; k++, i += 23) {
            s[i] = 0x0F;
            s[i + 1] = (byte) (0xE0 | (firstPid + k) >> 8);
            s[i + 2] = (byte) (firstPid + k);
            s[i + 3] = (byte) 0xF0;
            s[i + 4] = 18;
            s[i + 5] = 0x0A; // ISO_639_language_descriptor
            s[i + 6] = 16;
        }
        int crc = Crc32Mpeg.compute(s, 0, length - 4);
        for (int k = 0; k < 4; k++) {
            s[length - 4 + k] = (byte) (crc >>> (24 - 8 * k));
        }
        return s;
    }

    /** The section in packets of {@code pid}, the pointer_field 0, the rest of the last packet stuffing. */
    private static byte[] packets(byte[] section, int pid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        for (int k = 0; at < section.length; k++) {
            byte[] p = new byte[TsPacket.SIZE];
            Arrays.fill(p, (byte) 0xFF);
            p[0] = TsPacket.SYNC_BYTE;
            p[1] = (byte) ((k == 0 ? 0x40 : 0) | pid >> 8);
            p[2] = (byte) pid;
            p[3] = (byte) (0x10 | k & 0xF);
            int i = 4;
            if (k == 0) {
                p[i++] = 0;
            }
            int n = Math.min(TsPacket.SIZE - i, section.length - at);
            System.arraycopy(section, at, p, i, n);
            at += n;
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    /** An SDT section of {@code tableId} (0x42 actual, 0x46 other) at {@code version}, naming one service. */
    private static byte[] sdt(int tableId, int version, String name) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) tableId, (byte) 0xF0, 0, 0, 1, (byte) (0xC1 | version << 1), 0, 0, 0, 1,
            (byte) 0xFF, 0, 1, (byte) 0xFC, (byte) 0x80, (byte) (5 + n.length), 0x48, (byte) (3 + n.length), 0x01, 0,
            (byte) n.length});
        b.writeBytes(n);
        return TestStreams.section(b.toByteArray());
    }

    private static List<byte[]> sentThrough(TableVersions versions, byte[] packets) {
        return sentThrough(versions, PMT_PID, packets);
    }

    private static List<byte[]> sentThrough(TableVersions versions, int onPid, byte[] packets) {
        List<byte[]> sections = new ArrayList<>();
        SectionAssembler assembler = new SectionAssembler(onPid, (pid, s, length) ->
                sections.add(Arrays.copyOf(s, length)));
        TsPacket view = new TsPacket();
        for (int i = 0; i < packets.length; i += TsPacket.SIZE) {
            view.wrap(packets, i);
            versions.rewrite(packets, view, onPid);
            assembler.accept(view);
        }
        return sections;
    }

    private static TableVersions takingUp(byte[] first, byte[] lastSentPackets) {
        return takingUp(PMT_PID, first, lastSentPackets);
    }

    private static TableVersions takingUp(int pid, byte[] first, byte[] lastSentPackets) {
        TableVersions versions = new TableVersions();
        byte[][] firsts = new byte[TsPacket.MAX_PID + 1][];
        byte[][] sent = new byte[TsPacket.MAX_PID + 1][];
        firsts[pid] = first;
        sent[pid] = lastSentPackets;
        versions.takeUp(firsts, sent);
        return versions;
    }

    @Test
    void aTableOfSeveralPacketsThatChangedUnderTheSameVersionGoesOutAsTheNextOneWithItsCrcRight() {
        byte[] old = pmt(31, 12, 0x100);
        byte[] next = pmt(31, 12, 0x200);
        assertThat(packets(next, PMT_PID).length / TsPacket.SIZE).as("a table of several packets").isEqualTo(2);
        TableVersions versions = takingUp(next, packets(old, PMT_PID));
        assertThat(versions.shift(PMT_PID)).isOne();

        List<byte[]> sent = sentThrough(versions, packets(next, PMT_PID));
        assertThat(sent).hasSize(1);
        byte[] s = sent.getFirst();
        assertThat((s[5] >> 1) & 0x1F).as("version 31 + 1, modulo 32").isZero();
        assertThat(Crc32Mpeg.verify(s, 0, s.length)).isTrue();
        s[5] = next[5];
        assertThat(Arrays.copyOf(s, s.length - 4)).as("nothing else").isEqualTo(Arrays.copyOf(next, next.length - 4));
    }

    @Test
    void aTableThatDidNotChangeKeepsTheVersionItWentOutWithAndABrokenOneStaysBroken() {
        byte[] asSent = pmt(1, 2, 0x200);
        byte[] again = pmt(0, 2, 0x200);
        TableVersions versions = takingUp(again, packets(asSent, PMT_PID));
        byte[] broken = again.clone();
        broken[broken.length - 1] ^= 0x01;

        List<byte[]> sent = sentThrough(versions, packets(again, PMT_PID));
        assertThat(sent.getFirst()).isEqualTo(asSent);
        List<byte[]> brokenSent = sentThrough(versions, packets(broken, PMT_PID));
        assertThat(Crc32Mpeg.verify(brokenSent.getFirst(), 0, broken.length)).isFalse();
        assertThat(takingUp(pmt(2, 2, 0x300), packets(asSent, PMT_PID)).shift(PMT_PID))
                .as("another version already: as it is").isZero();
    }

    @Test
    void anSdtOfTheActualTsThatChangedUnderTheSameVersionGoesOutAsTheNextOneAndAnSdtOtherAsItIs() {
        byte[] old = sdt(Sdt.TABLE_ID_ACTUAL, 0, "News");
        byte[] next = sdt(Sdt.TABLE_ID_ACTUAL, 0, "Sport");
        byte[] other = sdt(0x46, 0, "Sport");
        TableVersions versions = takingUp(Sdt.PID, next, packets(old, Sdt.PID));
        assertThat(versions.shift(Sdt.PID)).isOne();

        byte[] otherPackets = packets(other, Sdt.PID);
        otherPackets[3] = 0x11; // continuity_counter 1, after the first
        List<byte[]> sent = sentThrough(versions, Sdt.PID, TestStreams.concat(packets(next, Sdt.PID), otherPackets));
        assertThat(sent).hasSize(2);
        byte[] s = sent.getFirst();
        assertThat((s[5] >> 1) & 0x1F).as("the next version").isOne();
        assertThat(Crc32Mpeg.verify(s, 0, s.length)).isTrue();
        s[5] = next[5];
        assertThat(Arrays.copyOf(s, s.length - 4)).as("nothing else").isEqualTo(Arrays.copyOf(next, next.length - 4));
        assertThat(sent.get(1)).as("the SDT of another transport stream, as it is").isEqualTo(other);
    }
}
