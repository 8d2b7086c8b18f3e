package io.mcrsrt.srt;

/**
 * Why a connection was refused or never completed, from {@code srt_getrejectreason}. Codes 0-16 are libsrt's own
 * ({@code SRT_REJ_*}); 1000-1999 are the standard server codes a listener sets (1000 + an HTTP status, e.g. 1403
 * forbidden, 1404 stream not found); 2000 and above are application codes.
 */
public enum SrtRejectReason {
    UNKNOWN(0, "the connection failed for an unknown reason"),
    SYSTEM(1, "a system call failed on this machine"),
    PEER_REJECTED(2, "the peer rejected the connection"),
    RESOURCE(3, "libsrt ran out of resources"),
    ROGUE_HANDSHAKE(4, "the handshake contained incorrect data"),
    BACKLOG_FULL(5, "the listener's backlog is full"),
    INTERNAL_ERROR(6, "libsrt hit an internal program error"),
    CLOSING(7, "the socket is closing"),
    VERSION_TOO_OLD(8, "the peer's SRT version is older than the minimum this side requires"),
    RENDEZVOUS_COOKIE(9, "both rendezvous sides generated the same cookie; try again"),
    WRONG_PASSPHRASE(10, "the passphrase does not match the peer's (check both sides use the same passphrase)"),
    MISSING_PASSPHRASE(11,
            "only one side is encrypted: set the same passphrase on both sides, or on neither"),
    MESSAGE_API_MISMATCH(12, "the two sides disagree on the message API (messageapi)"),
    CONGESTION_MISMATCH(13, "the two sides use different congestion control (transtype/congestion)"),
    PACKET_FILTER_MISMATCH(14, "the two sides' packet filters (FEC) are incompatible"),
    GROUP_MISMATCH(15, "the socket group (bonding) settings are incompatible"),
    TIMEOUT(16, "the peer did not answer in time (is it running, reachable, and on the right port?)"),
    SERVER_REJECTED(1000, "the server refused the caller"),
    APPLICATION_REJECTED(2000, "the peer's application refused the caller");

    private final int code;
    private final String description;

    SrtRejectReason(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The libsrt code, or the first code of the range for {@link #SERVER_REJECTED} and {@link #APPLICATION_REJECTED}. */
    public int code() {
        return code;
    }

    /** What it means, in a sentence an engineer can act on. */
    public String description() {
        return description;
    }

    /**
     * What a standard server code (1000-1999, libsrt's {@code SRT_REJX_*}) means, for the ones a listener commonly
     * sets; empty for the others.
     */
    public static java.util.Optional<String> standardMeaning(int code) {
        return java.util.Optional.ofNullable(switch (code) {
            case 1400 -> "bad request";
            case 1401 -> "unauthorized";
            case 1402 -> "overloaded: the listener already serves as many callers as it takes";
            case 1403 -> "forbidden";
            case 1404 -> "no such stream";
            case 1409 -> "conflict: the resource is in use";
            case 1503 -> "the service is unavailable";
            default -> null;
        });
    }

    /**
     * A reject code in one phrase: the reason's description, and for a server or application code (1000 and up)
     * the code itself and, when standard, its meaning: {@code "the server refused the caller (reject code 1404: no
     * such stream)"}. The code is what an engineer looks up in the listener's configuration or documentation.
     */
    public static String describe(int code) {
        SrtRejectReason reason = of(code);
        if (code < SERVER_REJECTED.code) {
            return reason.description;
        }
        return reason.description + " (reject code " + code + standardMeaning(code).map(m -> ": " + m).orElse("")
                + ")";
    }

    /** The reason for a raw {@code srt_getrejectreason} value; unknown low codes map to {@link #UNKNOWN}. */
    public static SrtRejectReason of(int code) {
        if (code >= 2000) {
            return APPLICATION_REJECTED;
        }
        if (code >= 1000) {
            return SERVER_REJECTED;
        }
        for (SrtRejectReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return UNKNOWN;
    }
}
