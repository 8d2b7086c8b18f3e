package io.mcrsrt.ts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TsPacketTest {
    @Test
    void readsEveryHeaderField() {
        byte[] b = TestStreams.packet(0x1ABC, 9, true);
        b[1] |= (byte) 0xA0; // transport_error_indicator and transport_priority
        b[3] = (byte) (0x80 | 0x10 | 9); // scrambling 2, payload only
        TsPacket p = new TsPacket().wrap(b, 0);
        assertThat(p.hasSyncByte()).isTrue();
        assertThat(p.transportError()).isTrue();
        assertThat(p.payloadUnitStart()).isTrue();
        assertThat(p.transportPriority()).isTrue();
        assertThat(p.pid()).isEqualTo(0x1ABC);
        assertThat(p.scramblingControl()).isEqualTo(2);
        assertThat(p.adaptationFieldControl()).isEqualTo(1);
        assertThat(p.continuityCounter()).isEqualTo(9);
        assertThat(p.payloadOffset()).isEqualTo(4);
        assertThat(p.payloadLength()).isEqualTo(184);
        assertThat(p.pcr()).isEqualTo(TsPacket.NO_PCR);
    }

    @Test
    void readsAdaptationFieldFlagsAndPcr() {
        long pcr = (1L << 33) * 300 - 1; // the last value before the wrap
        byte[] b = TestStreams.pcrPacket(0x100, 3, pcr, true);
        b[5] |= 0x40;
        TsPacket p = new TsPacket().wrap(b, 0);
        assertThat(p.hasAdaptationField()).isTrue();
        assertThat(p.adaptationFieldLength()).isEqualTo(7);
        assertThat(p.discontinuityIndicator()).isTrue();
        assertThat(p.randomAccessIndicator()).isTrue();
        assertThat(p.hasPcr()).isTrue();
        assertThat(p.pcr()).isEqualTo(pcr);
        assertThat(p.hasOpcr()).isFalse();
        assertThat(p.payloadOffset()).isEqualTo(12);
    }

    @Test
    void readsOpcrAfterPcr() {
        byte[] b = TestStreams.pcrPacket(0x100, 0, 27_000_000L, false);
        b[4] = 13;
        b[5] = 0x18;
        TsPacket p = new TsPacket().wrap(b, 0);
        p.wrap(b, 0);
        assertThat(p.hasOpcr()).isTrue();
        p.setOpcr(123_456_789L);
        assertThat(p.opcr()).isEqualTo(123_456_789L);
        assertThat(p.pcr()).isEqualTo(27_000_000L);
    }

    @Test
    void pcrRewriteRoundTripsBaseAndExtension() {
        byte[] b = TestStreams.pcrPacket(0x100, 0, 0, false);
        TsPacket p = new TsPacket().wrap(b, 0);
        for (long v : new long[] {0, 299, 300, 27_000_000L * 3600 + 17, (1L << 33) * 300 - 1}) {
            p.setPcr(v);
            assertThat(p.pcr()).as("PCR %d", v).isEqualTo(v);
        }
    }

    @Test
    void viewAtOffsetInsideLargerBuffer() {
        byte[] two = TestStreams.concat(TestStreams.packet(1, 0, false), TestStreams.packet(0x1FFF, 5, false));
        TsPacket p = new TsPacket().wrap(two, TsPacket.SIZE);
        assertThat(p.pid()).isEqualTo(TsPacket.NULL_PID);
        assertThat(p.continuityCounter()).isEqualTo(5);
    }
}
