package io.mcrsrt.srt;

/** {@code SRTO_TRANSTYPE}: the set of defaults a socket starts from. Set it before any other option. */
public enum SrtTransType {
    /** Live streaming: TSBPD on, too-late packets dropped, messages up to 1456 bytes (1316 for MPEG-TS). */
    LIVE,
    /** File transfer: file congestion control, no TSBPD, no dropping; stream API unless MESSAGEAPI is on. */
    FILE
}
