package io.mcrsrt.streamer.engine.output;

import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtTransType;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.LinkStats;
import io.mcrsrt.srt.SrtStats;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.util.Locale;

/**
 * How a stream's configuration becomes libsrt socket options, and libsrt statistics become {@link LinkStats}.
 */
public final class SrtSettings {
    /**
     * DSCP AF41 (34), the class commonly used for broadcast video contribution, as the IP TOS byte: 34 &lt;&lt; 2 =
     * 0x88.
     */
    public static final int QOS_IPTOS = 34 << 2;
    /** libsrt accepts OHEADBW from 5 to 100 percent; lower settings are raised to this. */
    public static final int MIN_OVERHEAD_PERCENT = 5;
    /** Round-trip time assumed when sizing buffers, before the link is measured. */
    static final int ASSUMED_RTT_MS = 200;
    /** Rate assumed when sizing buffers for an input whose rate is not known yet. */
    static final long ASSUMED_BITS_PER_SECOND = 20_000_000L;
    private static final int PAYLOAD = 1316;
    /** What libsrt adds to each packet in its rate arithmetic: IPv4 (20) + UDP (8) + SRT data header (16). */
    static final int SRT_DATA_HEADER_BYTES = 44;
    /** The largest live payload libsrt allows with the default MSS of 1500: room for RTP + 7 TS packets. */
    static final int RTP_PAYLOAD_SIZE = 1456;
    private static final int MIN_BUFFER_BYTES = 2 * 1024 * 1024;
    /** Longest a paced sender gathers due messages. */
    static final long MAX_SEND_BATCH_NANOS = 10_000_000L;
    static final long MIN_SEND_BATCH_NANOS = 1_000_000L;

    private SrtSettings() {
    }

    /**
     * How long a paced (file or colour-bar) sender lets due messages gather before handing them to libsrt: a tenth of
     * the SRT latency, from 1 to 10 ms (10 ms from a latency of 100 ms up).
     *
     * <p>Every wake-up costs tens of microseconds of CPU, so fewer are cheaper. Each message still carries its exact due
     * time as its SRT source time, so the receiver's output timing does not change, and a batch is handed on before
     * its messages fall due (a source time up to one batch in the future), so none of the latency is spent waiting
     * for a wake-up; what the batch costs is a burst of one batch's packets, paced by libsrt.
     */
    public static long sendBatchNanos(int latencyMs) {
        return Math.clamp(latencyMs * 100_000L, MIN_SEND_BATCH_NANOS, MAX_SEND_BATCH_NANOS);
    }

    /**
     * Applies the stream's SRT options to a socket before it connects or listens: live transfer type first (it resets
     * the live defaults), latency, overhead over the measured input rate (MAXBW 0), encryption, too-late packet drop,
     * buffers sized from bitrate x (latency + RTT), QoS marking and, for a caller, the stream id. libsrt's threads keep
     * Linux's default timer slack: more ({@link SrtSocket#workerTimerSlack}) would save CPU but can hold every
     * retransmission back by as much, where the recommended latencies leave recovery little margin.
     */
    static void apply(SrtSocket s, StreamConfig c, long bitsPerSecond) throws SrtException {
        s.set(SrtOption.TRANSTYPE, SrtTransType.LIVE);
        s.set(SrtOption.LATENCY, c.latencyMs());
        applyRateControl(s, bitsPerSecond, c.rtpEncapsulation(), c.overheadPercent());
        if (c.encryption() != Encryption.NONE) {
            s.set(SrtOption.PBKEYLEN, c.encryption().keyLengthBytes());
            s.set(SrtOption.PASSPHRASE, c.passphrase());
        }
        s.set(SrtOption.TLPKTDROP, true);
        if (c.rtpEncapsulation()) {
            // 12-byte RTP header + 1316 bytes of TS: above libsrt's default 1316-byte live payload
            s.set(SrtOption.PAYLOADSIZE, RTP_PAYLOAD_SIZE);
        }
        int bytes = bufferBytes(bitsPerSecond, c.latencyMs());
        s.set(SrtOption.FC, Math.max(1024, bytes / PAYLOAD * 2));
        s.set(SrtOption.SNDBUF, bytes);
        s.set(SrtOption.RCVBUF, bytes);
        if (c.qos()) {
            s.set(SrtOption.IPTOS, QOS_IPTOS);
        }
        if (c.mode() == Mode.CALLER) {
            s.set(SrtOption.STREAMID, c.effectiveStreamId());
        }
    }

    /**
     * Caps the send rate at the stream's rate plus {@code overheadPercent} for retransmissions (MAXBW 0, INPUTBW,
     * OHEADBW), as the SRT Deployment Guide's overhead assumes. Public so that tests and probes configure a socket
     * exactly as a stream does.
     *
     * @param tsBitsPerSecond the transport stream's rate, or 0 when not known yet (libsrt then estimates it)
     * @param rtp             whether each packet carries a 12-byte RTP header before its 7 TS packets
     * @param overheadPercent the stream's overhead, raised to libsrt's minimum of 5 and capped at 100
     */
    public static void applyRateControl(SrtSocket s, long tsBitsPerSecond, boolean rtp, int overheadPercent)
            throws SrtException {
        s.set(SrtOption.MAXBW, 0L);
        s.set(SrtOption.OHEADBW, Math.max(MIN_OVERHEAD_PERCENT, Math.min(100, overheadPercent)));
        if (tsBitsPerSecond > 0) {
            s.set(SrtOption.INPUTBW, inputBandwidthBytes(tsBitsPerSecond, rtp));
        }
    }

    /**
     * INPUTBW for a transport stream sent 7 TS packets per SRT packet, in bytes per second as libsrt counts them:
     * with each packet's 44 header bytes (and the RTP header when wrapped), as libsrt's own input-rate estimate does.
     * Its send-rate cap (MAXBW 0) counts those headers, so the bare TS rate would let them eat 3.3 points of the
     * overhead that retransmissions need: at 10 % loss and 17 % overhead that starved recovery.
     */
    public static long inputBandwidthBytes(long tsBitsPerSecond, boolean rtp) {
        int payload = rtp ? PAYLOAD + 12 : PAYLOAD;
        return Math.round(tsBitsPerSecond / 8.0 * (payload + SRT_DATA_HEADER_BYTES) / PAYLOAD);
    }

    /** Buffer bytes for bitrate x (latency + RTT), doubled for headroom, at least 2 MB. */
    static int bufferBytes(long bitsPerSecond, int latencyMs) {
        long bps = bitsPerSecond > 0 ? bitsPerSecond : ASSUMED_BITS_PER_SECOND;
        long bytes = bps / 8 * (latencyMs + ASSUMED_RTT_MS) / 1000 * 2;
        return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(MIN_BUFFER_BYTES, bytes));
    }

    /**
     * The once-a-second sample in the API's terms. Loss is the share of packets sent that had to be sent again: what
     * the path lost, as a sender can know it. libsrt's own sender loss counter counts a packet again each time a loss
     * report names it (periodic reports repeat the ones not yet repaired), which on a long path reads two or three
     * times the real loss; it stays available as {@code packets_lost_total}. Packets dropped are
     * {@link #sendDroppedPackets}.
     */
    static LinkStats toLinkStats(SrtStats s, long timestampMillis) {
        long sentTotal = s.pktSentTotal();
        double lossPercentTotal = sentTotal == 0 ? 0 : 100.0 * s.pktRetransTotal() / sentTotal;
        double lossRate = s.pktSent() == 0 ? 0 : 100.0 * s.pktRetrans() / s.pktSent();
        return new LinkStats(timestampMillis, s.mbpsSendRate(), s.msRTT(), lossRate, lossPercentTotal,
                sentTotal, s.pktSndLossTotal(), s.pktRetransTotal(), sendDroppedPackets(s), s.byteSentTotal(),
                s.mbpsBandwidth(), s.pktRecvTotal(), s.msSndBuf(), s.msRcvBuf(), s.pktFlowWindow(),
                s.pktRcvLossTotal(), s.pktRcvRetrans(), s.pktRcvDropTotal(), s.byteSentTotal(), s.byteRecvTotal(),
                s.byteRetransTotal(), s.byteSndDropTotal(), s.byteRcvLossTotal(), s.pktRecvACKTotal(),
                s.pktRecvNAKTotal(), s.pktSentACKTotal(), s.pktSentNAKTotal(), s.negotiatedLatencyMs());
    }

    /**
     * Bytes libsrt adds to each packet it counts in its byte statistics ({@code CPacket::SRT_DATA_HDR_SIZE}: IPv4 and
     * UDP headers, 28, and SRT's, 16), whatever the address family.
     */
    static final int COUNTED_HEADER_BYTES = 44;

    /**
     * Packets the sender gave up as too late since the connection began. libsrt 1.5.1 to 1.5.3 (Debian 12 has 1.5.1)
     * count one packet in {@code pktSndDropTotal} for each drop, however many packets it dropped at once (fixed in
     * 1.5.4, Haivision/srt#2812), but every dropped packet's bytes in {@code byteSndDropTotal}, plus
     * {@link #COUNTED_HEADER_BYTES} for each packet it counted: a receiver that read half the stream showed 1205 dropped
     * where 2054 were. The packets are the bytes over the average payload of the packets sent; at least the count
     * libsrt gives, and the same as it where libsrt counts right.
     */
    static long sendDroppedPackets(SrtStats s) {
        long counted = s.pktSndDropTotal();
        if (counted <= 0 || s.pktSentUniqueTotal() <= 0) {
            return Math.max(0, counted);
        }
        long payload = s.byteSentUniqueTotal() / s.pktSentUniqueTotal() - COUNTED_HEADER_BYTES;
        long bytes = s.byteSndDropTotal() - counted * COUNTED_HEADER_BYTES;
        if (payload <= 0 || bytes <= 0) {
            return counted;
        }
        return Math.max(counted, Math.round((double) bytes / payload));
    }

    /** An {@code srt://} URL equivalent to the stream's output, passphrase masked; a listener on every address. */
    public static String srtUri(StreamConfig c) {
        return srtUri(c, null);
    }

    /**
     * As {@link #srtUri(StreamConfig)}, for a listener bound to {@code listenerAddress} (an address literal; null for
     * every address).
     */
    public static String srtUri(StreamConfig c, String listenerAddress) {
        StringBuilder b = new StringBuilder("srt://");
        b.append(c.mode() == Mode.LISTENER
                ? StreamConfig.hostPort(listenerAddress == null ? ListenerAddress.everyAddressLiteral()
                        : listenerAddress, c.port())
                : StreamConfig.hostPort(c.targetAddress(), c.targetPort()));
        b.append("?mode=").append(c.mode().wireName()).append("&transtype=live&latency=").append(c.latencyMs())
                .append("&oheadbw=").append(Math.max(MIN_OVERHEAD_PERCENT, c.overheadPercent()))
                .append("&maxbw=0&tlpktdrop=1");
        if (c.mode() == Mode.CALLER) {
            b.append("&streamid=").append(uriEncode(c.effectiveStreamId()));
        }
        if (c.encryption() != Encryption.NONE) {
            b.append("&pbkeylen=").append(c.encryption().keyLengthBytes()).append("&passphrase=***");
        }
        if (c.qos()) {
            b.append("&iptos=").append(QOS_IPTOS);
        }
        return b.toString();
    }

    /**
     * Percent-encodes what would change a URI's meaning in a query value ({@code #} starts a fragment, {@code &} a
     * new option, {@code %} an escape), spaces, and anything outside printable ASCII, so a stream id such as
     * {@code #!::r=live,m=publish} survives being pasted into ffmpeg. The access-control syntax ({@code !:=,})
     * stays readable.
     */
    static String uriEncode(String value) {
        StringBuilder b = new StringBuilder();
        for (byte x : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int ch = x & 0xFF;
            if (ch <= 0x20 || ch >= 0x7F || "#&%+?\"<>\\^`{|}".indexOf(ch) >= 0) {
                b.append('%').append(String.format(Locale.ROOT, "%02X", ch));
            } else {
                b.append((char) ch);
            }
        }
        return b.toString();
    }
}
