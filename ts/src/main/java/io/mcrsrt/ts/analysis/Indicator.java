package io.mcrsrt.ts.analysis;

/** The checks of ETSI TR 101 290 (5.2) this analyzer runs, with the names a broadcast monitor shows. */
public enum Indicator {
    /** 1.1: two or more consecutive corrupted sync bytes; sync is found again after five good ones. */
    TS_SYNC_LOSS("TS_sync_loss", 1),
    /** 1.2: a sync byte other than 0x47. */
    SYNC_BYTE_ERROR("Sync_byte_error", 1),
    /** 1.3.a: no PAT on PID 0 for 0.5 s, a table other than PAT on PID 0, or PID 0 scrambled. */
    PAT_ERROR_2("PAT_error_2", 1),
    /** 1.4: packets out of order, repeated more than once, or lost. */
    CONTINUITY_COUNT_ERROR("Continuity_count_error", 1),
    /** 1.5.a: a PMT missing for 0.5 s on a PID the PAT lists, or a PMT PID scrambled. */
    PMT_ERROR_2("PMT_error_2", 1),
    /** 1.6: a PID the PMT lists has not been seen for the PID timeout. */
    PID_ERROR("PID_error", 1),
    /**
     * 2.1: a packet whose transport_error_indicator is set: corrupted on its way and not corrected (by a demodulator's
     * FEC, say). It is still analysed as it stands, so a continuity error on the same PID often has this as its cause.
     */
    TRANSPORT_ERROR("Transport_error", 2),
    /** 2.2: a section of the CAT, PAT, a PMT, NIT, EIT, BAT, SDT or TOT whose CRC_32 does not match. */
    CRC_ERROR("CRC_error", 2),
    /** 2.3.a: more than 40 ms between two consecutive PCRs. */
    PCR_REPETITION_ERROR("PCR_repetition_error", 2),
    /** 2.3.b: consecutive PCRs more than 100 ms apart, or going back, without discontinuity_indicator. */
    PCR_DISCONTINUITY_INDICATOR_ERROR("PCR_discontinuity_indicator_error", 2),
    /** 2.4: a PCR off by more than 500 ns from where the transport rate puts it. */
    PCR_ACCURACY_ERROR("PCR_accuracy_error", 2),
    /**
     * 3.5.a: once an SDT of this transport stream (table_id 0x42) has been seen on PID 0x0011, none for more than 2 s;
     * or a table other than an SDT, a BAT or stuffing (0x42, 0x46, 0x4A, 0x72) on that PID. A stream that never
     * carries an SDT (not DVB) is not faulted.
     */
    SDT_ACTUAL_ERROR("SDT_actual_error", 3);

    /** The name used by TR 101 290 and shown in reports. */
    private final String label;
    /** 1 = first priority (decodability), 2 = second priority (recommended continuous monitoring), 3 = third. */
    private final int priority;

    Indicator(String label, int priority) {
        this.label = label;
        this.priority = priority;
    }

    public String label() {
        return label;
    }

    public int priority() {
        return priority;
    }
}
