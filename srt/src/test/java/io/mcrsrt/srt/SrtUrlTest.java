package io.mcrsrt.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SrtUrlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            srt://192.0.2.10:9000                              | 192.0.2.10   | 9000  | CALLER
            srt://:9000                                        | ''           | 9000  | LISTENER
            srt://0.0.0.0:9000?mode=listener                   | 0.0.0.0      | 9000  | LISTENER
            srt://[::1]:9001                                   | ::1          | 9001  | CALLER
            srt://[2001:db8::5]:65535?mode=rendezvous          | 2001:db8::5  | 65535 | RENDEZVOUS
            srt://encoder.example.net:1                        | encoder.example.net | 1 | CALLER
            SRT://host:2000/                                   | host         | 2000  | CALLER
            srt://host:2000?mode=server                        | host         | 2000  | LISTENER
            srt://host:2000?mode=client                        | host         | 2000  | CALLER
            """)
    void hostPortAndModeAreParsed(String url, String host, int port, SrtUrl.Mode mode) {
        SrtUrl parsed = SrtUrl.parse(url);
        assertThat(parsed.host()).isEqualTo(host);
        assertThat(parsed.port()).isEqualTo(port);
        assertThat(parsed.mode()).isEqualTo(mode);
    }

    /**
     * A link-local address is reached through the interface its zone names: taken, also written %25 as RFC 6874 has it
     * in a URL, and handed on with that interface as its scope (libsrt's sockaddr_in6 gets it as sin6_scope_id).
     * Before, %25lo stayed in the host, which then did not resolve.
     */
    @Test
    void aLinkLocalAddressWithTheZoneOfAnInterfaceIsTakenAsItsScope() throws Exception {
        java.net.NetworkInterface nif = java.net.NetworkInterface.networkInterfaces().filter(n -> n.inetAddresses()
                .anyMatch(a -> a instanceof java.net.Inet6Address && a.isLinkLocalAddress())).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(nif != null, "an interface with an IPv6 link-local address");
        String name = nif.getName();
        for (String url : new String[] {"srt://[fe80::1%" + name + "]:9000", "srt://[fe80::1%25" + name + "]:9000"}) {
            SrtUrl parsed = SrtUrl.parse(url);
            assertThat(parsed.host()).as(url).isEqualTo("fe80::1%" + name);
            assertThat(((java.net.Inet6Address) parsed.remoteAddress().getAddress()).getScopeId())
                    .isEqualTo(nif.getIndex());
        }
        // by index, as ip -6 route may show it
        assertThat(SrtUrl.parse("srt://[fe80::1%" + nif.getIndex() + "]:9000").remoteAddress().isUnresolved())
                .isFalse();
    }

    /**
     * A link-local address without a zone, or with a zone that is no interface here, is refused naming the value and
     * the fix. Before, the first was taken and timed out as a peer that did not answer (a listener: a bind error
     * blaming another program), the second failed later as a host that did not resolve.
     */
    @Test
    void aLinkLocalAddressWithoutAZoneOrWithAnUnknownOneIsRefusedNamingIt() {
        assertThatThrownBy(() -> SrtUrl.parse("srt://[fe80::1]:9000"))
                .hasMessageContaining("IPv6 address fe80::1 is link-local, so it needs the interface it is reached on"
                        + " after a '%' (expected: fe80::1%")
                .hasMessageContaining("this machine's interfaces with a link-local address: ");
        assertThatThrownBy(() -> SrtUrl.parse("srt://[fe80::1%nosuch9]:9000?mode=listener"))
                .hasMessageContaining("the zone 'nosuch9' of IPv6 address fe80::1%nosuch9 is not an interface of this"
                        + " machine (expected: fe80::1%NAME with NAME one of ");
        assertThatThrownBy(() -> SrtUrl.parse("srt://[fe80::1%]:9000"))
                .hasMessageContaining("IPv6 address fe80::1% has nothing after its '%'");
        // lo has no link-local address: the JDK cannot scope fe80::1 to it
        assertThatThrownBy(() -> SrtUrl.parse("srt://[fe80::1%lo]:9000"))
                .hasMessageContaining("interface lo of IPv6 address fe80::1%lo has no link-local IPv6 address");
        // not link-local: no zone needed
        assertThat(SrtUrl.parse("srt://[2001:db8::1]:9000").host()).isEqualTo("2001:db8::1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            srt://h:1?latency=200                 | latency      | 200
            srt://h:1?LATENCY=200                 | latency      | 200
            srt://h:1?pkt_size=1316               | payloadsize  | 1316
            srt://h:1?payload_size=1316           | payloadsize  | 1316
            srt://h:1?smoother=live               | congestion   | live
            srt://h:1?srt_streamid=abc            | streamid     | abc
            srt://h:1?enforced_encryption=0       | enforcedencryption | 0
            srt://h:1?ffs=32000                   | fc           | 32000
            srt://h:1?streamid=#!::r=a/b,m=publish | streamid    | #!::r=a/b,m=publish
            srt://h:1?passphrase=secret%20with%26amp | passphrase | secret with&amp
            srt://h:1?tlpktdrop=yes               | tlpktdrop    | yes
            srt://h:1?maxbw=-1                    | maxbw        | -1
            srt://h:1?transtype=file              | transtype    | file
            srt://h:1?adapter=127.0.0.1&port=4000 | adapter      | 127.0.0.1
            """)
    void parametersAreParsedUnderTheirCanonicalKey(String url, String key, String value) {
        assertThat(SrtUrl.parse(url).parameter(key)).contains(value);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://h:1                    | is not an SRT URL
            srt://h                       | has no port
            srt://h:0                     | port "0" is not valid (expected: 1 to 65535)
            srt://h:70000                 | port "70000" is not valid
            srt://h:x                     | port "x" is not valid
            srt://[::1:9000               | an IPv6 address must be written [address]:port
            srt://::1:9000                | "srt://::1:9000": an IPv6 address must be written in brackets, as srt://[::1]:9000
            srt://fe80::1:9000?latency=200 | as srt://[fe80::1]:9000?latency=200
            srt://:9000?latency=200&latency=400 | SRT URL parameter latency is given twice in "srt://:9000?latency=200&latency=400" (expected: each parameter once; remove one)
            srt://:9000?rcvlatency=200&rcvlatency=200 | SRT URL parameter rcvlatency is given twice
            srt://:9000?mode=caller       | a caller needs a host
            srt://h:1?foo=1               | unknown SRT URL parameter "foo" (expected one of: mode, adapter, port, transtype
            srt://h:1?mode=push           | SRT URL parameter mode=push is not valid (expected: caller, listener or rendezvous)
            srt://h:1?latency=abc         | SRT URL parameter latency=abc is not valid (expected: a whole number)
            srt://h:1?latency=-5          | SRT URL parameter latency=-5 is not valid (expected: >= 0)
            srt://h:1?latency=99999999999 | SRT URL parameter latency=99999999999 is not valid (expected: a whole number from -2147483648 to 2147483647)
            srt://h:1?maxbw=99999999999999999999 | SRT URL parameter maxbw=99999999999999999999 is not valid (expected: a whole number from -9223372036854775808 to 9223372036854775807)
            srt://h:1?pbkeylen=20         | SRT URL parameter pbkeylen=20 is not valid (expected: one of [0, 16, 24, 32])
            srt://h:1?passphrase=short    | SRT URL parameter passphrase=<hidden> is not valid (expected: 10 to 79 bytes in UTF-8
            srt://h:1?tlpktdrop=maybe     | SRT URL parameter tlpktdrop=maybe is not valid (expected: true or false
            srt://h:1?transtype=vod       | SRT URL parameter transtype=vod is not valid (expected: live or file)
            srt://h:1?oheadbw=1000        | SRT URL parameter oheadbw=1000 is not valid (expected: between 5 and 100)
            srt://h:1?congestion=cubic    | SRT URL parameter congestion=cubic is not valid (expected: one of live, file)
            srt://h:1?streamid=%zz        | SRT URL parameter streamid has a broken %-escape
            srt://h:1?port=0              | port "0" is not valid
            srt://h:1?kmrefreshrate=-1    | SRT URL parameter kmrefreshrate=-1 is not valid (expected: >= 0)
            srt://h:1?kmpreannounce=-1    | SRT URL parameter kmpreannounce=-1 is not valid (expected: >= 0)
            srt://h:1?minversion=-1       | SRT URL parameter minversion=-1 is not valid (expected: a version from 0 to 0xFFFFFF (16777215), written 0xMMmmpp: 0x010300 for 1.3.0)
            srt://h:1?minversion=0x1000000 | SRT URL parameter minversion=0x1000000 is not valid (expected: a version from 0 to 0xFFFFFF
            srt://h:1?latency=0x          | SRT URL parameter latency=0x is not valid (expected: a whole number)
            srt://h:1?latency=0x-10       | SRT URL parameter latency=0x-10 is not valid (expected: a whole number)
            srt://user@h:9000?latency=200 | "srt://<hidden>@h:9000?latency=200": an SRT URL has no user name or password before the host (expected: srt://host:port; to encrypt, add ?passphrase=...)
            srt://user:secret-words@h:9000 | "srt://<hidden>@h:9000": an SRT URL has no user name or password
            """)
    void badUrlsAreRefusedNamingTheProblem(String url, String message) {
        assertThatThrownBy(() -> SrtUrl.parse(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            srt://192.0.2.10:9000
            srt://:9000?mode=listener&latency=200
            srt://[::1]:9001?streamid=#!::r=a/b,m=publish&passphrase=secret%20with%26amp
            srt://h:1?passphrase=caf%C3%A9-caf%C3%A9-caf%C3%A9
            """)
    void printedUrlsParseBackEqual(String url) {
        SrtUrl parsed = SrtUrl.parse(url);
        assertThat(SrtUrl.parse(parsed.toStringWithPassphrase())).isEqualTo(parsed);
        assertThat(parsed.toStringWithPassphrase()).isEqualTo(url);
    }

    @Test
    void charactersOutsideTheBmpSurviveDecodingAndEncodingWrittenEitherWay() {
        // Before, an unencoded emoji next to a %-escape decoded as "??": each half of its surrogate pair on its own.
        for (String written : new String[] {"srt://h:1?streamid=%F0%9F%8E%A5%20x%C3%BC", "srt://h:1?streamid=🎥%20xü",
                "srt://h:1?streamid=🎥 xü"}) {
            SrtUrl url = SrtUrl.parse(written);
            assertThat(url.parameter("streamid")).as(written).contains("🎥 xü");
            assertThat(url.toString()).isEqualTo("srt://h:1?streamid=%F0%9F%8E%A5%20x%C3%BC");
            assertThat(SrtUrl.parse(url.toStringWithPassphrase())).isEqualTo(url);
        }
        assertThat(SrtUrl.takeOut("srt://h:1?streamid=🎥%26&latency=200", "streamid").value()).isEqualTo("🎥&");
    }

    @Test
    void toStringHidesThePassphrase() {
        SrtUrl url = SrtUrl.parse("srt://h:1?latency=200&passphrase=correct%20horse%20battery&streamid=a");
        assertThat(url.toString()).isEqualTo("srt://h:1?latency=200&passphrase=<hidden>&streamid=a");
        assertThat(SrtUrl.parse("srt://h:1?latency=200").toString()).isEqualTo("srt://h:1?latency=200");
        assertThat(url.with("passphrase", "another-secret-1").toString()).doesNotContain("another-secret-1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "http://h:1?passphrase=s3cret-passphrase",
            "srt://h?latency=200&passphrase=s3cret-passphrase",
            "srt://h:x&passphrase=s3cret-passphrase",
            "srt://[::1?passphrase=s3cret-passphrase",
            "srt://:9000?passphrase=s3cret-passphrase&mode=caller",
            "srt://h:1?passphrase=s3cret-passphrase%zz",
            "srt://h:1?PASSPHRASE=s3cret-passphrase%2",
            "srt://h:1?passphrase:s3cret-passphrase",
            "srt://h:1?passphrase=s3cret",
            "srt://h:1?passphrase=s3cret-passphrase&latency=x",
            "srt://::1:9000?passphrase=s3cret-passphrase",
            "srt://:9000?passphrase=s3cret-passphrase&passphrase=s3cret-passphrase",
    })
    void errorMessagesNeverShowThePassphrase(String url) {
        assertThatThrownBy(() -> SrtUrl.parse(url)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("s3cret");
    }

    @Test
    void takeOutSplitsAndDecodesAsParseDoesWithoutCheckingTheValue() {
        SrtUrl.TakenOut taken = SrtUrl.takeOut("srt://h:9000?latency=200&OHEADBW=%33&&passphrase=long%26enough-secret",
                "oheadbw");
        assertThat(taken.value()).as("below libsrt's 5, which parse refuses").isEqualTo("3");
        assertThat(taken.rest()).isEqualTo("srt://h:9000?latency=200&passphrase=long%26enough-secret");
        assertThat(SrtUrl.parse(taken.rest()).parameter("passphrase")).contains("long&enough-secret");
        assertThat(SrtUrl.takeOut("srt://:9000?oheadbw=25", "oheadbw"))
                .isEqualTo(new SrtUrl.TakenOut("srt://:9000", "25"));
        assertThat(SrtUrl.takeOut("srt://:9000?latency=200", "oheadbw"))
                .isEqualTo(new SrtUrl.TakenOut("srt://:9000?latency=200", null));
        assertThat(SrtUrl.takeOut("srt://:9000", "oheadbw")).isEqualTo(new SrtUrl.TakenOut("srt://:9000", null));
        assertThat(SrtUrl.takeOut("srt://h:1?srt_streamid=feed&latency=200", "streamid"))
                .as("ffmpeg's spelling is the same key").isEqualTo(new SrtUrl.TakenOut("srt://h:1?latency=200", "feed"));
        assertThat(SrtUrl.takeOut("srt://h:1?oheadbw", "oheadbw").value()).isEmpty();
    }

    @Test
    void queryKeysAreReadAsParseReadsThemWithoutCheckingThem() {
        assertThat(SrtUrl.queryKeys("srt://h:1?Latency=200&srt_streamid=x&&foo&maxbw=0"))
                .containsExactly("latency", "streamid", "foo", "maxbw");
        assertThat(SrtUrl.queryKeys("srt://h:1")).isEmpty();
    }

    @Test
    void takeOutRefusesWhatParseRefusesInItsWords() {
        String twice = "srt://:9000?oheadbw=3&passphrase=s3cret-passphrase&OHEADBW=4";
        assertThatThrownBy(() -> SrtUrl.takeOut(twice, "oheadbw")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SRT URL parameter oheadbw is given twice in \"srt://:9000?oheadbw=3&passphrase=<hidden>"
                        + "&OHEADBW=4\" (expected: each parameter once; remove one)");
        assertThatThrownBy(() -> SrtUrl.takeOut("srt://:9000?latency=200&latency=400", "latency"))
                .hasMessage(catchParseMessage("srt://:9000?latency=200&latency=400"));
        assertThatThrownBy(() -> SrtUrl.takeOut("srt://:9000?oheadbw=%3", "oheadbw"))
                .hasMessageContaining("SRT URL parameter oheadbw has a broken %-escape");
    }

    private static String catchParseMessage(String url) {
        try {
            SrtUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("parse took " + url);
    }

    @Test
    void aliasesPrintUnderTheirCanonicalKey() {
        assertThat(SrtUrl.parse("srt://h:1?pkt_size=1316&smoother=live").toString())
                .isEqualTo("srt://h:1?payloadsize=1316&congestion=live");
    }

    @Test
    void bindAddressFollowsModeAdapterAndPort() {
        assertThat(SrtUrl.parse("srt://:9000").bindAddress())
                .isEqualTo(new InetSocketAddress(SocketAddresses.everyAddress(), 9000));
        assertThat(SrtUrl.parse("srt://127.0.0.1:9000?mode=listener").bindAddress())
                .isEqualTo(new InetSocketAddress("127.0.0.1", 9000));
        assertThat(SrtUrl.parse("srt://10.0.0.1:9000?mode=rendezvous&adapter=127.0.0.1").bindAddress())
                .isEqualTo(new InetSocketAddress("127.0.0.1", 9000));
        assertThat(SrtUrl.parse("srt://10.0.0.1:9000?mode=rendezvous&port=5000").bindAddress().getPort())
                .isEqualTo(5000);
    }

    @Test
    void listeningOnACallerUrlIsRefusedNamingTheUrlAndTheListenerUrlMeant() throws Exception {
        // Before, it bound a caller's local address: 0.0.0.0 on a port libsrt picked, where nobody would call.
        int port = Peers.freeUdpPort();
        assertThatThrownBy(() -> SrtUrl.parse("srt://127.0.0.1:" + port + "?latency=200").listen(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot listen on srt://127.0.0.1:" + port + "?latency=200: it is a caller URL (a host and"
                        + " no mode= make a caller); to listen on 127.0.0.1:" + port + " write srt://127.0.0.1:" + port
                        + "?latency=200&mode=listener (or srt://:" + port + " to listen on every address)");
        assertThatThrownBy(() -> SrtUrl.parse("srt://[::1]:" + port + "?mode=rendezvous").listen(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot listen on srt://[::1]:" + port + "?mode=rendezvous: it is a rendezvous"
                        + " URL; to listen on [::1]:" + port + " write srt://[::1]:" + port + "?mode=listener");
        assertThatThrownBy(() -> SrtUrl.parse("srt://h:1?passphrase=s3cret-passphrase").listen(1))
                .message().doesNotContain("s3cret");
        try (SrtSocket listening = SrtUrl.parse("srt://127.0.0.1:" + port + "?mode=listener").listen(1)) {
            assertThat(listening.localAddress()).isEqualTo(Peers.loopback(port));
        }
    }

    @Test
    void optionsAreAppliedTranstypeFirstAndFcBeforeRcvbuf() throws Exception {
        // Given in the "wrong" order: rcvbuf above the default FC cap, and transtype last (it resets defaults).
        SrtUrl url = SrtUrl.parse("srt://h:1?rcvbuf=" + (1472 * 40000) + "&latency=300&fc=50000&transtype=live");
        try (SrtSocket socket = url.newSocket()) {
            assertThat(socket.get(SrtOption.FC)).isEqualTo(50000);
            assertThat(socket.get(SrtOption.RCVBUF)).isEqualTo(1472 * 40000);
            assertThat(socket.get(SrtOption.LATENCY)).isEqualTo(300);
        }
    }

    @Test
    void wholeNumbersMayBeWrittenInHexAsLibsrtsToolsTakeThemButALeadingZeroStaysDecimal() throws Exception {
        // srt-live-transmit reads minversion=0x010300 as version 1.3.0; before, this URL was refused.
        try (SrtSocket socket = SrtUrl.parse("srt://h:1?minversion=0x010300&latency=0200").newSocket()) {
            assertThat(socket.get(SrtOption.MINVERSION)).isEqualTo(0x010300);
            assertThat(socket.get(SrtOption.LATENCY)).isEqualTo(200);
        }
    }

    @Test
    void everyKnownKeyIsAccepted() {
        Map<String, String> samples = Map.ofEntries(Map.entry("mode", "caller"), Map.entry("adapter", "127.0.0.1"),
                Map.entry("port", "4000"), Map.entry("passphrase", "0123456789"), Map.entry("congestion", "live"),
                Map.entry("smoother", "file"), Map.entry("transtype", "live"), Map.entry("pbkeylen", "16"),
                Map.entry("bindtodevice", "lo"), Map.entry("packetfilter", "fec"), Map.entry("streamid", "x"),
                Map.entry("srt_streamid", "y"), Map.entry("sndbuf", "1472"));
        for (String key : SrtUrl.knownKeys()) {
            String value = samples.getOrDefault(key, key.contains("api") || key.contains("drop")
                    || key.contains("report") || key.contains("mode") || key.contains("encryption")
                    || key.equals("sender") || key.equals("drifttracer") || key.equals("tsbpdmode")
                    || key.equals("ipv6only") || key.equals("retransmitalgo") ? "1" : "100");
            assertThat(SrtUrl.parse("srt://h:1?" + key + "=" + value).parameters()).as(key).hasSize(1);
        }
    }

    @Test
    void whatBracketsHoldMustBeAnIpv6AddressAndABracketOnOneSideIsNotDoubled() {
        // "[zz::1]" and "[192.0.2.1]" were looked up as host names and said not to resolve
        assertThatThrownBy(() -> SrtUrl.parse("srt://[zz::1]:9000")).hasMessage("\"srt://[zz::1]:9000\": 'zz::1' in"
                + " brackets is not an IPv6 address (expected: srt://[2001:db8::1]:9000, or fe80::1%eth0 with its"
                + " interface; a host name or an IPv4 address goes without brackets)");
        assertThatThrownBy(() -> SrtUrl.parse("srt://[192.0.2.1]:9000")).hasMessageContaining(
                "'192.0.2.1' in brackets is not an IPv6 address");
        assertThat(SrtUrl.parse("srt://[fe80::1%eth0]:9000").host()).isEqualTo("fe80::1%eth0");
        // it suggested srt://[::1]]:9000
        assertThatThrownBy(() -> SrtUrl.parse("srt://::1]:9000")).hasMessage("\"srt://::1]:9000\": an IPv6 address"
                + " must be written in brackets, as srt://[::1]:9000");
    }
}
