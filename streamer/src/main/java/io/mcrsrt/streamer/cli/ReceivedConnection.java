package io.mcrsrt.streamer.cli;

import io.mcrsrt.srt.AddressText;
import io.mcrsrt.srt.SrtException;
import io.mcrsrt.srt.SrtUrl;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The connection {@code recv} receives on, kept by the thread reading it: who sent, since when, how much, and when the
 * last payload came, so that its end can be told as the sender closing it or as the sender lost.
 *
 * <p>libsrt 1.5.1 reports both ends alike: {@code srt_recvmsg} fails with 2001 (connection broken), the socket is
 * BROKEN, no reject reason is set and epoll reports IN, OUT and ERR, whether the sender closed its socket or was
 * killed. In its source the shutdown message ({@code CUDT::processCtrlShutdown}) and the peer idle timeout ({@code
 * CUDT::checkExpTimer}) both set {@code m_bClosing} and {@code m_bBroken} and call {@code updateBrokenConnection()}
 * and {@code completeBrokenConnectionDependencies(SRT_ECONNLOST)}; the shutdown also sets {@code m_bShutdown}, which
 * only a stream-mode receive shows (it returns 0), and a longer wait before the socket is closed with data unread.
 * What differs is when: the timeout breaks the connection only once nothing at all (payload or keepalive) came from
 * the sender for its peer idle timeout ({@code peeridletimeo}, 5 s by default), so a killed sender's connection ends
 * that long after its last payload arrived, the latency less after its last payload was handed on; a closing
 * sender's shutdown ends it at once, and its last payload is handed on when due, up to the latency after. A
 * connection that ended {@link #silenceOfALostSender} or more after its last payload is therefore told as lost;
 * a sender that stayed silent that long before closing is told as lost too (nothing tells it apart).
 */
final class ReceivedConnection {
    /** SRT's peer idle timeout when the URL does not set {@code peeridletimeo}. */
    static final long DEFAULT_PEER_IDLE_TIMEOUT_MS = 5000;

    /** SRT's latency when the URL sets neither {@code rcvlatency} nor {@code latency}. */
    static final long DEFAULT_LATENCY_MS = 120;

    private final long silenceOfALostSender;
    private InetSocketAddress sender;
    private long connectedAt;
    private long lastPayloadAt;
    private long payloads;
    private long bytes;

    /** @param url the URL received from, for its peer idle timeout */
    ReceivedConnection(SrtUrl url) {
        this.silenceOfALostSender = silenceOfALostSender(url);
    }

    /**
     * How long after the last payload was handed on the end tells a lost sender, in nanoseconds: three quarters of
     * the peer idle timeout less the latency. A killed sender's connection ends the whole of that after its last
     * payload was handed on (payloads are handed on the latency after they arrive, and the timeout counts from the
     * last arrival); the quarter left is for the payloads' way through the network and to this thread. A sender that
     * closes while sending ends within milliseconds of its last payload; one that was silent first, after that
     * silence less the latency. When the latency is the peer idle timeout or more, a killed sender's connection ends
     * before its last payloads are due, as a closing one's does, and nothing tells it: the end reads as closed.
     */
    static long silenceOfALostSender(SrtUrl url) {
        long idleMs = millis(url, "peeridletimeo", DEFAULT_PEER_IDLE_TIMEOUT_MS);
        // The receiver's latency is its rcvlatency, or latency; the sender may ask for more, which only makes the
        // silence before a killed sender's end shorter than reckoned here.
        long latencyMs = millis(url, "rcvlatency", millis(url, "latency", DEFAULT_LATENCY_MS));
        long slackMs = idleMs - latencyMs;
        return slackMs <= 0 ? Long.MAX_VALUE : slackMs * 3 / 4 * 1_000_000L;
    }

    private static long millis(SrtUrl url, String parameter, long otherwise) {
        try {
            return url.parameter(parameter).map(Long::parseLong).orElse(otherwise);
        } catch (NumberFormatException notANumber) {
            return otherwise; // libsrt refuses it when the socket is configured, and says so
        }
    }

    /** A connection was made with {@code peer} at {@code now} (nanoTime); what came before was another's. */
    void connected(InetSocketAddress peer, long now) {
        sender = peer;
        connectedAt = now;
        lastPayloadAt = now;
        payloads = 0;
        bytes = 0;
    }

    /** A payload of {@code length} bytes came at {@code now}. */
    void received(int length, long now) {
        lastPayloadAt = now;
        payloads++;
        bytes += length;
    }

    /** True when a connection ending at {@code now} is told as a lost sender. */
    boolean lost(long now) {
        return now - lastPayloadAt >= silenceOfALostSender;
    }

    /** How the connection ended at {@code now}, as one line after the command's name. */
    String end(long now) {
        String counts = String.format(Locale.ROOT, "%s s and %d payloads (%d bytes)", seconds(now - connectedAt),
                payloads, bytes);
        if (!lost(now)) {
            return "the sender " + address() + " closed the connection after " + counts;
        }
        return "the sender " + address() + " stopped answering: nothing came for the last "
                + seconds(now - lastPayloadAt) + " s before the connection broke, after " + counts
                + "; it was killed or crashed, or the network between failed (a sender that closes sends SRT's"
                + " shutdown message, which ends the connection at once)";
    }

    /**
     * The SRT error that ended receiving at {@code now}, when it was neither a stop nor the connection's end (a failed
     * accept, or a receive libsrt refused), as one line after the command's name: it names the sender once there was
     * one.
     */
    String failed(SrtException error, long now) {
        String message = error.getMessage();
        if (sender == null) {
            return message; // the accept's own words: "accepting a caller on 127.0.0.1:9000: ..."
        }
        // The library's "receiving on SrtSocket[...]: " names the socket by its id; the sender says more.
        int socketNamed = message.startsWith("receiving on ") ? message.indexOf("]: ") : -1;
        return "receiving from the sender " + address() + " failed after "
                + String.format(Locale.ROOT, "%s s and %d payloads: ", seconds(now - connectedAt), payloads)
                + (socketNamed < 0 ? message : message.substring(socketNamed + 3));
    }

    private String address() {
        return sender == null ? "(unknown)" : AddressText.of(sender);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
