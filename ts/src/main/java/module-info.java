/**
 * MPEG transport streams: packets, PSI, PCR pacing and seamless looping, RTP (RFC 2250), SCTE-35 and ETSI TR 101 290
 * analysis. Depends on nothing but the JDK.
 *
 * <p>No method takes null for an argument unless its documentation says what null means: a null argument throws a
 * {@link java.lang.NullPointerException} naming the parameter, before the call does anything.
 */
module io.mcrsrt.ts {
    exports io.mcrsrt.ts;
    exports io.mcrsrt.ts.analysis;
    exports io.mcrsrt.ts.pacing;
    exports io.mcrsrt.ts.pcr;
    exports io.mcrsrt.ts.psi;
    exports io.mcrsrt.ts.rtp;
    exports io.mcrsrt.ts.scte35;
}
