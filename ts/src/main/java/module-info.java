/**
 * MPEG transport streams: packets, PSI, PCR pacing and seamless looping, RTP (RFC 2250), SCTE-35 and ETSI TR 101 290
 * analysis. Depends on nothing but the JDK.
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
