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
 * BROKEN and no reject reason is set, whether the sender closed its socket or was killed (measured with a sender
 * killed with SIGKILL and one stopped with SIGTERM, both srt-live-transmit and {@code mcr-srt send}). What differs is
 * when: a closing sender's shutdown message ends the connection within milliseconds of its last payload, while a
 * killed sender's connection ends only when SRT gives the silent peer up, after its peer idle timeout ({@code
 * peeridletimeo}, 5 s by default), the last payload that long before less the latency. A connection that ended after
 * {@link #silenceOfALostSender} without a payload is therefore told as lost.
 */
final class ReceivedConnection {
    /** SRT's peer idle timeout when the URL does not set {@code peeridletimeo}. */
    static final long DEFAULT_PEER_IDLE_TIMEOUT_MS = 5000;

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
     * How long without a payload before the end tells a lost sender: a second, or half the peer idle timeout when that
     * is shorter (a sender killed breaks the connection that timeout after its last packet, less the latency the
     * receiver holds payloads back by).
     */
    static long silenceOfALostSender(SrtUrl url) {
        long idleMs = DEFAULT_PEER_IDLE_TIMEOUT_MS;
        try {
            idleMs = url.parameter("peeridletimeo").map(Long::parseLong).orElse(DEFAULT_PEER_IDLE_TIMEOUT_MS);
        } catch (NumberFormatException notANumber) {
            // libsrt refuses it when the socket is configured, and says so
        }
        return Math.min(1000, idleMs / 2) * 1_000_000L;
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
