package io.mcrsrt.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SrtOptionTest {

    /** A value different from libsrt's default for every option that can be set and read back. */
    private static final Map<SrtOption<?>, Object> NON_DEFAULT = Map.ofEntries(
            Map.entry(SrtOption.MSS, 1400),
            Map.entry(SrtOption.SNDSYN, false),
            Map.entry(SrtOption.RCVSYN, false),
            Map.entry(SrtOption.FC, 32000),
            // libsrt keeps buffers in whole 1472-byte payload units
            Map.entry(SrtOption.SNDBUF, 1472 * 5000),
            Map.entry(SrtOption.RCVBUF, 1472 * 5000),
            Map.entry(SrtOption.LINGER, 7),
            Map.entry(SrtOption.UDP_SNDBUF, 1_000_000),
            Map.entry(SrtOption.UDP_RCVBUF, 2_000_000),
            Map.entry(SrtOption.RENDEZVOUS, true),
            Map.entry(SrtOption.SNDTIMEO, 1500),
            Map.entry(SrtOption.RCVTIMEO, 2500),
            Map.entry(SrtOption.REUSEADDR, false),
            Map.entry(SrtOption.MAXBW, 12_500_000L),
            Map.entry(SrtOption.SENDER, true),
            Map.entry(SrtOption.TSBPDMODE, false),
            Map.entry(SrtOption.LATENCY, 333),
            Map.entry(SrtOption.INPUTBW, 1_000_000L),
            Map.entry(SrtOption.OHEADBW, 50),
            Map.entry(SrtOption.PBKEYLEN, 32),
            Map.entry(SrtOption.IPTTL, 33),
            Map.entry(SrtOption.IPTOS, 0xb8),
            Map.entry(SrtOption.TLPKTDROP, false),
            Map.entry(SrtOption.SNDDROPDELAY, 100),
            Map.entry(SrtOption.NAKREPORT, false),
            Map.entry(SrtOption.CONNTIMEO, 4321),
            Map.entry(SrtOption.DRIFTTRACER, false),
            Map.entry(SrtOption.MININPUTBW, 500_000L),
            Map.entry(SrtOption.LOSSMAXTTL, 5),
            Map.entry(SrtOption.RCVLATENCY, 444),
            Map.entry(SrtOption.PEERLATENCY, 555),
            Map.entry(SrtOption.MINVERSION, 0x010300),
            Map.entry(SrtOption.STREAMID, "#!::r=live/feed-1,m=request"),
            Map.entry(SrtOption.CONGESTION, "file"),
            Map.entry(SrtOption.MESSAGEAPI, false),
            Map.entry(SrtOption.PAYLOADSIZE, 1000),
            Map.entry(SrtOption.KMREFRESHRATE, 100_000),
            Map.entry(SrtOption.KMPREANNOUNCE, 4000),
            Map.entry(SrtOption.ENFORCEDENCRYPTION, false),
            Map.entry(SrtOption.IPV6ONLY, 1),
            Map.entry(SrtOption.PEERIDLETIMEO, 7000),
            Map.entry(SrtOption.PACKETFILTER, "fec,cols:10,rows:5"),
            Map.entry(SrtOption.RETRANSMITALGO, 0));

    private final SrtSocket socket;

    SrtOptionTest() throws SrtException {
        socket = SrtSocket.create();
    }

    @AfterEach
    void close() {
        socket.close();
    }

    static Stream<Arguments> readableWritableOptions() {
        return SrtOption.values().stream().filter(o -> o.readable() && o.writable())
                .filter(o -> o != SrtOption.BINDTODEVICE) // needs CAP_NET_RAW and a real interface
                .map(o -> Arguments.of(o.name(), o));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readableWritableOptions")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyReadableOptionReadsBackWhatWasSet(String name, SrtOption option) throws Exception {
        Object value = NON_DEFAULT.get(option);
        assertThat(value).as("a test value for %s", name).isNotNull();
        assertThat(socket.get(option)).as("default of %s", name).isNotEqualTo(value);
        socket.set(option, value);
        assertThat(socket.get(option)).isEqualTo(value);
    }

    @Test
    void everySrtoOptionOfLibsrt151HasAKey() {
        assertThat(SrtOption.values()).hasSize(59);
        assertThat(SrtOption.values()).extracting(SrtOption::id).doesNotHaveDuplicates();
        assertThat(SrtOption.byName("srto_latency")).contains(SrtOption.LATENCY);
    }

    @Test
    void aMinimumVersionNoPeerCouldHaveIsRefused() throws Exception {
        // libsrt keeps -1 (or 0x1000000) and would then refuse every peer as too old.
        for (int version : new int[] {-1, 0x1000000}) {
            assertThatThrownBy(() -> socket.set(SrtOption.MINVERSION, version))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a version from 0 to 0xFFFFFF (16777215), written 0xMMmmpp: 0x010300 for 1.3.0");
        }
        socket.set(SrtOption.MINVERSION, 0);
        socket.set(SrtOption.MINVERSION, 0xFFFFFF);
        assertThat(socket.get(SrtOption.MINVERSION)).isEqualTo(0xFFFFFF);
    }

    @Test
    void aPacketFilterLibsrtRefusesIsAnsweredWithTheSyntaxItTakes() {
        for (String filter : new String[] {"foo", "fec,cols:0", "fec,cols:10,layout:weird", "fec,cols:10,junk:1"}) {
            assertThatThrownBy(() -> socket.set(SrtOption.PACKETFILTER, filter))
                    .isInstanceOf(SrtException.class)
                    .hasMessageContaining("setting SRTO_PACKETFILTER to " + filter + " (expected: fec,cols:N[,rows:M]"
                            + "[,layout:even|staircase][,arq:always|onreq|never] with N at least 1");
        }
    }

    @Test
    void readOnlyOptionsReportTheirState() throws Exception {
        assertThat(socket.get(SrtOption.STATE)).isEqualTo(SrtSocketState.INIT);
        assertThat(socket.get(SrtOption.VERSION)).isEqualTo(0x010501);
        assertThat(socket.get(SrtOption.KMSTATE)).isEqualTo(SrtKmState.UNSECURED);
        assertThat(socket.get(SrtOption.SNDDATA)).isZero();
    }

    @Test
    void transtypeFileSwitchesToFileDefaults() throws Exception {
        socket.set(SrtOption.TRANSTYPE, SrtTransType.FILE);
        assertThat(socket.get(SrtOption.CONGESTION)).isEqualTo("file");
        assertThat(socket.get(SrtOption.MESSAGEAPI)).isFalse();
        assertThat(socket.get(SrtOption.TSBPDMODE)).isFalse();
    }

    @Test
    void preBindOptionAfterBindIsAnExceptionNamingTheRule() throws Exception {
        socket.bind(Peers.loopback(0));
        assertThatThrownBy(() -> socket.set(SrtOption.RCVBUF, 1_000_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SRTO_RCVBUF must be set before the socket is bound")
                .hasMessageContaining("OPENED");
        socket.set(SrtOption.LATENCY, 200);
        assertThat(socket.get(SrtOption.LATENCY)).isEqualTo(200);
    }

    @Test
    void transtypeAfterBindIsAnExceptionNamingTheRule() throws Exception {
        // libsrt 1.5.1 flags SRTO_TRANSTYPE as pre-bind (core.cpp), not merely pre-connect.
        assertThat(SrtOption.TRANSTYPE.restriction()).isEqualTo(SrtOption.Restriction.PRE_BIND);
        socket.bind(Peers.loopback(0));
        assertThatThrownBy(() -> socket.set(SrtOption.TRANSTYPE, SrtTransType.FILE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SRTO_TRANSTYPE must be set before the socket is bound");
    }

    @Test
    void preOptionOnAListeningSocketIsAnException() throws Exception {
        socket.bind(Peers.loopback(0)).listen(1);
        assertThatThrownBy(() -> socket.set(SrtOption.LATENCY, 200))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before connecting or listening").hasMessageContaining("LISTENING");
        socket.set(SrtOption.MAXBW, 1_000_000L);
        assertThat(socket.get(SrtOption.MAXBW)).isEqualTo(1_000_000L);
    }

    @Test
    void settingAReadOnlyOptionIsAnException() {
        assertThatThrownBy(() -> socket.set(SrtOption.STATE, SrtSocketState.CONNECTED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SRTO_STATE is read-only");
    }

    @Test
    void readingThePassphraseIsAnException() {
        assertThatThrownBy(() -> socket.get(SrtOption.PASSPHRASE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read back");
    }

    @Test
    void outOfRangeValuesNameTheValueAndTheRange() {
        assertThatThrownBy(() -> socket.set(SrtOption.PBKEYLEN, 20))
                .hasMessage("SRTO_PBKEYLEN = 20 is not allowed (expected: one of [0, 16, 24, 32])");
        assertThatThrownBy(() -> socket.set(SrtOption.PASSPHRASE, "short"))
                .hasMessage("SRTO_PASSPHRASE = <5 bytes> is not allowed (expected: 10 to 79 bytes in UTF-8, or empty for "
                        + "no encryption)");
        assertThatThrownBy(() -> socket.set(SrtOption.OHEADBW, 2))
                .hasMessage("SRTO_OHEADBW = 2 is not allowed (expected: between 5 and 100)");
        assertThatThrownBy(() -> socket.set(SrtOption.STREAMID, "x".repeat(513)))
                .hasMessageContaining("at most 512 bytes");
    }

    @Test
    void aStreamIdWithANulCharacterIsRefusedInsteadOfReachingTheListenerCut() {
        // Before, "a\0b" was taken, and the listener's callback and accepted socket saw the stream id "a".
        assertThatThrownBy(() -> socket.set(SrtOption.STREAMID, "live\0feed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("SRTO_STREAMID = live\\0feed is not allowed (expected: no NUL character, found at"
                        + " index 4");
        assertThatThrownBy(() -> SrtUrl.parse("srt://h:1?streamid=live%00feed"))
                .hasMessageContaining("SRT URL parameter streamid=live\\0feed is not valid (expected: no NUL character");
    }

    /**
     * Control characters in a URL or an option value are written out in the message, never echoed raw: a NUL cut the
     * line where a terminal or a log showed it, a line break split it, an ESC was acted on. Before, only NUL in a value
     * was written out; the URL quoted whole, the key, the port and the other values were echoed as they came.
     */
    @Test
    void controlCharactersInAUrlOrAValueAreWrittenOutInTheMessage() {
        assertThatThrownBy(() -> socket.set(SrtOption.STREAMID, "live\u001b[2Jfeed\0"))
                .hasMessageStartingWith("SRTO_STREAMID = live\\u001B[2Jfeed\\0 is not allowed");
        assertThatThrownBy(() -> SrtUrl.parse("srt://h:1?mode=list%0Aener"))
                .hasMessage("SRT URL parameter mode=list\\nener is not valid (expected: caller, listener or rendezvous)");
        assertThatThrownBy(() -> SrtUrl.parse("srt://h:1?latency=2%090"))
                .hasMessageStartingWith("SRT URL parameter latency=2\\t0 is not valid");
        assertThatThrownBy(() -> SrtUrl.parse("srt://h:1?late\rncy=20"))
                .hasMessageStartingWith("unknown SRT URL parameter \"late\\rncy\"");
        assertThatThrownBy(() -> SrtUrl.parse("srt://h:9\u0000"))
                .hasMessageStartingWith("\"srt://h:9\\0\": port \"9\\0\" is not valid");
        assertThatThrownBy(() -> SrtUrl.parse("srt://ho\u007fst"))
                .hasMessageStartingWith("\"srt://ho\\u007Fst\" has no port");
        assertThatThrownBy(() -> SrtUrl.parse("srt://h:1?streamid=a\u0085%zz"))
                .hasMessageContaining("has a broken %-escape in \"a\\u0085%zz\"");
        for (String url : new String[] {"srt://h:1?mode=list%0Aener", "srt://h:9\u0000", "srt://h:1?late\rncy=20"}) {
            assertThatThrownBy(() -> SrtUrl.parse(url)).satisfies(e -> assertThat(e.getMessage())
                    .as(url).doesNotContainPattern("\\p{Cntrl}"));
        }
    }

    @Test
    void keyRefreshValuesLibsrtRefusesNameTheLimitInsteadOfBadParameters() throws Exception {
        // Before, libsrt's bare "Bad parameters (5003)" was all these said.
        assertThatThrownBy(() -> socket.set(SrtOption.KMREFRESHRATE, -1))
                .hasMessage("SRTO_KMREFRESHRATE = -1 is not allowed (expected: >= 0)");
        assertThatThrownBy(() -> socket.set(SrtOption.KMPREANNOUNCE, -1))
                .hasMessage("SRTO_KMPREANNOUNCE = -1 is not allowed (expected: >= 0)");
        assertThatThrownBy(() -> socket.set(SrtOption.KMPREANNOUNCE, 8_388_608))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("SRTO_KMPREANNOUNCE = 8388608 is not allowed (expected: at most 8388607, "
                        + "(SRTO_KMREFRESHRATE - 1) / 2 with SRTO_KMREFRESHRATE = 0, libsrt's default of 16777216");
        socket.set(SrtOption.KMPREANNOUNCE, 8_388_607);

        socket.set(SrtOption.KMREFRESHRATE, 1000);
        socket.set(SrtOption.KMPREANNOUNCE, 499);
        assertThatThrownBy(() -> socket.set(SrtOption.KMPREANNOUNCE, 500))
                .hasMessage("SRTO_KMPREANNOUNCE = 500 is not allowed (expected: at most 499, (SRTO_KMREFRESHRATE - 1)"
                        + " / 2 with SRTO_KMREFRESHRATE = 1000); set a smaller SRTO_KMPREANNOUNCE, or a larger"
                        + " SRTO_KMREFRESHRATE first");
        assertThatThrownBy(() -> socket.set(SrtOption.KMPREANNOUNCE, 0))
                .hasMessageStartingWith("SRTO_KMPREANNOUNCE = 0 (libsrt's default of 4096 packets) is not allowed "
                        + "(expected: at most 499");
        assertThat(socket.get(SrtOption.KMPREANNOUNCE)).isEqualTo(499);
    }

    @Test
    void aSendBufferTooSmallForOnePacketIsRefusedNamingTheMinimum_oneOfOnePacketSends() throws Exception {
        // Before, 1000 was taken: libsrt kept 1000 / 1472 = 0 packets, and every send failed with 5012.
        assertThatThrownBy(() -> socket.set(SrtOption.SNDBUF, 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("SRTO_SNDBUF = 1000 is not allowed (expected: >= 1472, one packet:");
        assertThatThrownBy(() -> socket.set(SrtOption.SNDBUF, 1471)).hasMessageContaining(">= 1472");
        assertThatThrownBy(() -> SrtUrl.parse("srt://h:1?sndbuf=1000")).hasMessageContaining(">= 1472");
        // RCVBUF has no such hole: libsrt raises a value under 32 packets to 32.
        socket.set(SrtOption.RCVBUF, 1000);
        assertThat(socket.get(SrtOption.RCVBUF)).isEqualTo(32 * 1472);

        try (SrtSocket listener = SrtSocket.create()) {
            listener.set(SrtOption.RCVBUF, 1000).bind(Peers.loopback(0)).listen(1);
            java.util.concurrent.CompletableFuture<SrtSocket> accepted = Peers.acceptAsync(listener);
            socket.set(SrtOption.SNDBUF, 1472).dial(listener.localAddress());
            try (SrtSocket server = accepted.get(10, java.util.concurrent.TimeUnit.SECONDS)) {
                assertThat(socket.send(new byte[1316], 0, 1316)).isEqualTo(1316);
                assertThat(server.receive(new byte[1500], 0, 1500)).isEqualTo(1316);
            }
        }
    }

    @Test
    void packetFilterLongerThanLibsrtKeepsIsRefused() throws Exception {
        // libsrt 1.5.1 stores at most 64 bytes (MAX_PFILTER_LENGTH) and drops a longer value without an error.
        String tooLong = "fec,cols:10,rows:5,layout:staircase,arq:onreq,cols:10,rows:5,c:10";
        assertThat(tooLong).hasSize(65);
        assertThatThrownBy(() -> socket.set(SrtOption.PACKETFILTER, tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SRTO_PACKETFILTER").hasMessageContaining("at most 64 bytes");
        socket.set(SrtOption.PACKETFILTER, "fec,cols:10,rows:5");
        assertThat(socket.get(SrtOption.PACKETFILTER)).isEqualTo("fec,cols:10,rows:5");
    }

    @Test
    void optionsOnAClosedSocketAreAnExceptionNotACrash() {
        socket.close();
        assertThatThrownBy(() -> socket.set(SrtOption.LATENCY, 100)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> socket.get(SrtOption.LATENCY)).isInstanceOf(SrtException.class);
        assertThatThrownBy(() -> socket.stats()).isInstanceOf(SrtException.class);
    }

    @Test
    void bondingIsReportedAsNotSupportedByThisLibsrt() {
        if (Srt.bondingSupported()) {
            return;
        }
        assertThatThrownBy(() -> SrtGroup.create(SrtGroup.Type.BACKUP))
                .isInstanceOfSatisfying(SrtException.class,
                        e -> assertThat(e.code()).isEqualTo(SrtException.OPERATION_NOT_SUPPORTED))
                .hasMessageContaining("not supported by this libsrt")
                .hasMessageContaining("tried only when neither libsrt-gnutls.so.1.5 nor libsrt.so.1.5 loads");
    }
}
