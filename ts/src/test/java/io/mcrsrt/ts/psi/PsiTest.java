package io.mcrsrt.ts.psi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.ts.Fixtures;
import io.mcrsrt.ts.PacketReader;
import io.mcrsrt.ts.TestStreams;
import io.mcrsrt.ts.TsException;
import io.mcrsrt.ts.TsPacket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PsiTest {
    private static PsiTracker track(byte[] stream) throws IOException {
        PsiTracker t = new PsiTracker();
        PacketReader r = PacketReader.of(stream, 0, stream.length);
        TsPacket p = new TsPacket();
        while (r.next(p)) {
            t.accept(p);
        }
        return t;
    }

    @Test
    void crcOfKnownPatMatchesTheStandardAlgorithm() {
        // "123456789" -> 0x0376E6E7 is the CRC-32/MPEG-2 check value
        assertThat(Crc32Mpeg.compute("123456789".getBytes(), 0, 9)).isEqualTo(0x0376E6E7);
    }

    @Test
    void readsServicesAndStreamsOfAnFfmpegFile() throws IOException {
        PsiTracker t = new PsiTracker();
        try (PacketReader r = PacketReader.open(Fixtures.small())) {
            TsPacket p = new TsPacket();
            while (r.next(p)) {
                t.accept(p);
            }
        }
        assertThat(t.pat().programs()).containsExactly(new Pat.Program(7, 0x1000));
        Pmt pmt = t.firstPmt();
        assertThat(pmt.programNumber()).isEqualTo(7);
        assertThat(pmt.pcrPid()).isEqualTo(0x100);
        assertThat(pmt.streams()).extracting(Pmt.Stream::pid, Pmt.Stream::typeName).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0x100, "H.264/AVC video"),
                org.assertj.core.groups.Tuple.tuple(0x101, "AAC (ADTS)"));
        assertThat(t.sdt().services()).singleElement().satisfies(s -> {
            assertThat(s.serviceId()).isEqualTo(7);
            assertThat(s.serviceName()).isEqualTo("Bars One");
            assertThat(s.providerName()).isEqualTo("MCR Test");
            assertThat(s.serviceType()).isEqualTo(1);
        });
        assertThat(t.crcErrors()).isZero();
        assertThat(t.versionChanges()).isZero();
    }

    @Test
    void reassemblesAPmtSpreadOverThreePackets() throws IOException {
        int[] streams = new int[2 * 80];
        for (int i = 0; i < 80; i++) {
            streams[2 * i] = 0x06;
            streams[2 * i + 1] = 0x200 + i;
        }
        byte[] pmt = TestStreams.pmt(1, 3, 0x200, streams); // 416 bytes
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(TestStreams.sectionPacket(0, 0, TestStreams.pat(1, 0, 1, 0x1000)));
        byte[] first = TestStreams.packet(0x1000, 0, true);
        first[4] = 0;
        System.arraycopy(pmt, 0, first, 5, 183);
        b.writeBytes(first);
        byte[] second = TestStreams.packet(0x1000, 1, false);
        System.arraycopy(pmt, 183, second, 4, 184);
        b.writeBytes(second);
        byte[] third = TestStreams.packet(0x1000, 2, false);
        System.arraycopy(pmt, 367, third, 4, pmt.length - 367);
        b.writeBytes(third);
        PsiTracker t = track(b.toByteArray());
        assertThat(t.firstPmt().streams()).hasSize(80);
        assertThat(t.firstPmt().version()).isEqualTo(3);
        assertThat(t.firstPmt().streams().getLast().pid()).isEqualTo(0x200 + 79);
    }

    @Test
    void twoSectionsInOnePacketAreBothRead() throws IOException {
        byte[] pat = TestStreams.pat(1, 0, 1, 0x1000);
        byte[] pmt = TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100);
        // PAT and PMT for one PID are not realistic, but PMT sections of two programs on one PID are
        byte[] pmt2 = TestStreams.pmt(2, 0, 0x200, 0x1B, 0x200);
        byte[] p = TestStreams.packet(0x1000, 0, true);
        p[4] = 0;
        System.arraycopy(pmt, 0, p, 5, pmt.length);
        System.arraycopy(pmt2, 0, p, 5 + pmt.length, pmt2.length);
        byte[] pat2 = TestStreams.section(Arrays.copyOf(
                new byte[] {0, (byte) 0xB0, 0, 0, 1, (byte) 0xC1, 0, 0, 0, 1, (byte) 0xF0, 0, 0, 2, (byte) 0xF0, 0}, 16));
        PsiTracker t = track(TestStreams.concat(TestStreams.sectionPacket(0, 0, pat2), p));
        assertThat(t.pmts()).containsOnlyKeys(1, 2);
        assertThat(pat.length).isPositive();
    }

    @Test
    void pmtsOfTwoProgramsOnOnePidAreEachAChangeOnlyWhenTheirOwnChanges() throws IOException {
        // Programs 1 and 2 both have their PMT on 0x1000, sent in turn ten times; program 2's moves to version 1.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(TestStreams.sectionPacket(0, 0, TestStreams.patSection(1, 0, 0, 0, 1, 0x1000, 2, 0x1000)));
        int cc = 0;
        for (int i = 0; i < 10; i++) {
            b.writeBytes(TestStreams.sectionPacket(0x1000, cc++, TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100)));
            b.writeBytes(TestStreams.sectionPacket(0x1000, cc++, TestStreams.pmt(2, 0, 0x200, 0x1B, 0x200)));
        }
        for (int i = 0; i < 10; i++) {
            b.writeBytes(TestStreams.sectionPacket(0x1000, cc++, TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100)));
            b.writeBytes(TestStreams.sectionPacket(0x1000, cc++,
                    TestStreams.pmt(2, 1, 0x200, 0x1B, 0x200, 0x0F, 0x201)));
        }
        byte[] stream = b.toByteArray();
        PsiTracker t = new PsiTracker();
        int[] changes = {0};
        t.onChange(() -> changes[0]++);
        PacketReader r = PacketReader.of(stream, 0, stream.length);
        TsPacket p = new TsPacket();
        while (r.next(p)) {
            t.accept(p);
        }
        assertThat(changes[0]).as("the PAT, each program's first PMT, program 2's version 1").isEqualTo(4);
        assertThat(t.versionChanges()).isEqualTo(1);
        assertThat(t.pmts()).containsOnlyKeys(1, 2);
        assertThat(t.pmts().get(1).version()).isZero();
        assertThat(t.pmts().get(2).version()).isEqualTo(1);
        assertThat(t.pmts().get(2).streams()).hasSize(2);
    }

    @Test
    void badCrcIsCountedAndIgnored() throws IOException {
        byte[] pat = TestStreams.pat(1, 0, 1, 0x1000);
        pat[pat.length - 1] ^= 1;
        PsiTracker t = track(TestStreams.sectionPacket(0, 0, pat));
        assertThat(t.crcErrors()).isEqualTo(1);
        assertThat(t.pat()).isNull();
    }

    @Test
    void versionChangesAreCounted() throws IOException {
        PsiTracker t = track(TestStreams.concat(
                TestStreams.sectionPacket(0, 0, TestStreams.pat(1, 0, 1, 0x1000)),
                TestStreams.sectionPacket(0, 1, TestStreams.pat(1, 0, 1, 0x1000)),
                TestStreams.sectionPacket(0, 2, TestStreams.pat(1, 1, 1, 0x1001))));
        assertThat(t.versionChanges()).isEqualTo(1);
        assertThat(t.pat().version()).isEqualTo(1);
        assertThat(t.isPsiPid(0x1001)).isTrue();
    }

    @Test
    void tableAnnouncedWithCurrentNextIndicatorZeroIsNotApplied() throws IOException {
        byte[] next = TestStreams.pmt(1, 1, 0x100, 0x1B, 0x100, 0x0F, 0x101);
        next[5] &= (byte) 0xFE; // current_next_indicator 0: version 1 is not applicable yet
        next = TestStreams.section(Arrays.copyOf(next, next.length - 4));
        byte[] current = TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100);
        PsiTracker t = track(TestStreams.concat(
                TestStreams.sectionPacket(0, 0, TestStreams.pat(1, 0, 1, 0x1000)),
                TestStreams.sectionPacket(0x1000, 0, current),
                TestStreams.sectionPacket(0x1000, 1, next),
                TestStreams.sectionPacket(0x1000, 2, current),
                TestStreams.sectionPacket(0x1000, 3, next)));
        assertThat(t.pmts().get(1).version()).isZero();
        assertThat(t.pmts().get(1).streams()).hasSize(1);
        assertThat(t.versionChanges()).isZero();
        assertThat(t.crcErrors()).isZero();
    }

    @Test
    void programDroppedFromThePatLosesItsPmt() throws IOException {
        PsiTracker t = track(TestStreams.concat(
                TestStreams.sectionPacket(0, 0, TestStreams.pat(1, 0, 1, 0x1000)),
                TestStreams.sectionPacket(0x1000, 0, TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100)),
                TestStreams.sectionPacket(0, 1, TestStreams.pat(1, 1, 2, 0x1001)),
                TestStreams.sectionPacket(0x1001, 0, TestStreams.pmt(2, 0, 0x200, 0x1B, 0x200)),
                // the old PMT PID still carries program 1: not in force any more
                TestStreams.sectionPacket(0x1000, 1, TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100))));
        assertThat(t.pmts()).containsOnlyKeys(2);
        assertThat(t.firstPmt().pcrPid()).isEqualTo(0x200);
    }

    @Test
    void patInTwoSectionsListsTheProgramsOfBoth() throws IOException {
        byte[] first = TestStreams.patSection(1, 0, 0, 1, 1, 0x1000);
        byte[] second = TestStreams.patSection(1, 0, 1, 1, 2, 0x1001);
        PsiTracker t = track(TestStreams.concat(
                TestStreams.sectionPacket(0, 0, first),
                TestStreams.sectionPacket(0, 1, second),
                TestStreams.sectionPacket(0x1000, 0, TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100)),
                TestStreams.sectionPacket(0x1001, 0, TestStreams.pmt(2, 0, 0x200, 0x1B, 0x200)),
                TestStreams.sectionPacket(0, 2, first),
                TestStreams.sectionPacket(0, 3, second)));
        assertThat(t.pat().programs()).containsExactly(new Pat.Program(1, 0x1000), new Pat.Program(2, 0x1001));
        assertThat(t.pmts()).containsOnlyKeys(1, 2);
        assertThat(t.isPsiPid(0x1000)).isTrue();
        assertThat(t.isPsiPid(0x1001)).isTrue();
        assertThat(t.versionChanges()).isZero();
    }

    @Test
    void newPatVersionInTwoSectionsReplacesTheOldOnceBothAreIn() throws IOException {
        PsiTracker t = track(TestStreams.concat(
                TestStreams.sectionPacket(0, 0, TestStreams.patSection(1, 0, 0, 1, 1, 0x1000)),
                TestStreams.sectionPacket(0, 1, TestStreams.patSection(1, 0, 1, 1, 2, 0x1001)),
                TestStreams.sectionPacket(0x1000, 0, TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100)),
                TestStreams.sectionPacket(0x1001, 0, TestStreams.pmt(2, 0, 0x200, 0x1B, 0x200)),
                // version 1 adds program 3 to the second section; its first section alone must not drop program 2
                TestStreams.sectionPacket(0, 2, TestStreams.patSection(1, 1, 0, 1, 1, 0x1000))));
        assertThat(t.pat().version()).isZero();
        assertThat(t.pmts()).containsOnlyKeys(1, 2);
        PsiTracker after = track(TestStreams.concat(
                TestStreams.sectionPacket(0, 0, TestStreams.patSection(1, 0, 0, 1, 1, 0x1000)),
                TestStreams.sectionPacket(0, 1, TestStreams.patSection(1, 0, 1, 1, 2, 0x1001)),
                TestStreams.sectionPacket(0, 2, TestStreams.patSection(1, 1, 0, 1, 1, 0x1000)),
                TestStreams.sectionPacket(0, 3, TestStreams.patSection(1, 1, 1, 1, 2, 0x1001, 3, 0x1002))));
        assertThat(after.pat().version()).isEqualTo(1);
        assertThat(after.pat().programs()).extracting(Pat.Program::programNumber).containsExactly(1, 2, 3);
        assertThat(after.versionChanges()).isEqualTo(1);
    }

    /** An SDT actual section describing one service named {@code name}. */
    private static byte[] sdtSection(int sectionNumber, int lastSectionNumber, int serviceId, String name) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x42, (byte) 0xF0, 0, 0, 1, (byte) 0xC1, (byte) sectionNumber, (byte) lastSectionNumber,
            0, 1, (byte) 0xFF, (byte) (serviceId >> 8), (byte) serviceId, (byte) 0xFC, (byte) 0x80,
            (byte) (5 + n.length)});
        b.writeBytes(new byte[] {0x48, (byte) (3 + n.length), 0x01, 0, (byte) n.length});
        b.writeBytes(n);
        return TestStreams.section(b.toByteArray());
    }

    @Test
    void sdtOverSeveralSectionsListsTheServicesOfAll() throws IOException {
        PsiTracker t = track(TestStreams.concat(
                TestStreams.sectionPacket(Sdt.PID, 0, sdtSection(0, 1, 1, "One")),
                TestStreams.sectionPacket(Sdt.PID, 1, sdtSection(1, 1, 2, "Two")),
                TestStreams.sectionPacket(Sdt.PID, 2, sdtSection(0, 1, 1, "One")),
                TestStreams.sectionPacket(Sdt.PID, 3, sdtSection(1, 1, 2, "Two"))));
        assertThat(t.sdt().services()).extracting(Sdt.Service::serviceName).containsExactly("One", "Two");
        assertThat(t.versionChanges()).isZero();
    }

    @Test
    void sectionLengthBeyondTheDataNamesFieldAndLimit() {
        byte[] pat = TestStreams.pat(1, 0, 1, 0x1000);
        byte[] truncated = Arrays.copyOf(pat, 14);
        assertThatThrownBy(() -> Pat.parse(truncated, 0, truncated.length)).isInstanceOf(TsException.class)
                .hasMessage("PAT section_length 13 at byte 1 (expected: <= 11, the bytes available)");
        byte[] huge = pat.clone();
        huge[1] = (byte) 0xB4;
        huge[2] = 0x06; // 1030
        assertThatThrownBy(() -> Pat.parse(huge, 0, huge.length)).hasMessage("PAT section_length 1030 (expected: <= 1021)");
        assertThatThrownBy(() -> Pmt.parse(pat, 0, pat.length)).hasMessage("PMT table_id 0x00 (expected: 0x02)");
    }

    @Test
    void descriptorsAreParsedWithNames() {
        byte[] body = {0x02, (byte) 0xB0, 0, 0, 1, (byte) 0xC1, 0, 0, (byte) 0xE1, 0, (byte) 0xF0, 6,
            0x05, 4, 'C', 'U', 'E', 'I', (byte) 0x86, (byte) 0xE1, 0x02, (byte) 0xF0, 0};
        byte[] s = TestStreams.section(body);
        Pmt pmt = Pmt.parse(s, 0, s.length);
        List<String> names = new ArrayList<>();
        pmt.descriptors().forEach(d -> names.add(d.name() + ":" + d.formatIdentifier()));
        assertThat(names).containsExactly("registration:CUEI");
        assertThat(pmt.streams().getFirst().isScte35()).isTrue();
        assertThat(pmt.streams().getFirst().typeName()).isEqualTo("SCTE-35 splice information");
    }
}
