package io.mcrsrt.ts.scte35;

import java.util.List;

/** The splice command of a splice_info_section (ANSI/SCTE 35 9.7), one record per splice_command_type. */
public sealed interface SpliceCommand {
    /** splice_command_type (8 bits). */
    int type();

    /** The command's name as the standard's Table 7 gives it. */
    String name();

    /** splice_null() (9.7.1), type 0x00. */
    record SpliceNull() implements SpliceCommand {
        public int type() {
            return 0x00;
        }

        public String name() {
            return "Splice Null";
        }
    }

    /**
     * splice_schedule() (9.7.2), type 0x04.
     *
     * @param events one entry per splice_count
     */
    record SpliceSchedule(List<ScheduledEvent> events) implements SpliceCommand {
        public SpliceSchedule {
            events = List.copyOf(events);
        }

        public int type() {
            return 0x04;
        }

        public String name() {
            return "Splice Schedule";
        }
    }

    /**
     * One event of a splice_schedule().
     *
     * @param spliceEventId splice_event_id (32 bits)
     * @param cancel splice_event_cancel_indicator
     * @param outOfNetwork out_of_network_indicator
     * @param programSplice program_splice_flag
     * @param durationFlag duration_flag
     * @param utcSpliceTime utc_splice_time (32 bits, GPS seconds) for a program splice, or -1
     * @param components component_tag and utc_splice_time per component for a component splice
     * @param breakDuration break_duration(), or null
     * @param uniqueProgramId unique_program_id (16 bits)
     * @param availNum avail_num (8 bits)
     * @param availsExpected avails_expected (8 bits)
     */
    record ScheduledEvent(long spliceEventId, boolean cancel, boolean outOfNetwork, boolean programSplice,
            boolean durationFlag, long utcSpliceTime, List<long[]> components, BreakDuration breakDuration,
            int uniqueProgramId, int availNum, int availsExpected) {
        public ScheduledEvent {
            components = List.copyOf(components);
        }
    }

    /**
     * splice_insert() (9.7.3), type 0x05.
     *
     * @param spliceEventId splice_event_id (32 bits)
     * @param cancel splice_event_cancel_indicator
     * @param outOfNetwork out_of_network_indicator
     * @param programSplice program_splice_flag
     * @param durationFlag duration_flag
     * @param spliceImmediate splice_immediate_flag
     * @param eventIdCompliance event_id_compliance_flag
     * @param spliceTime splice_time() of a program splice, or null
     * @param components component_tag and splice_time() per component of a component splice
     * @param breakDuration break_duration(), or null
     * @param uniqueProgramId unique_program_id (16 bits)
     * @param availNum avail_num (8 bits)
     * @param availsExpected avails_expected (8 bits)
     */
    record SpliceInsert(long spliceEventId, boolean cancel, boolean outOfNetwork, boolean programSplice,
            boolean durationFlag, boolean spliceImmediate, boolean eventIdCompliance, SpliceTime spliceTime,
            List<Component> components, BreakDuration breakDuration, int uniqueProgramId, int availNum,
            int availsExpected) implements SpliceCommand {
        public SpliceInsert {
            components = List.copyOf(components);
        }

        public int type() {
            return 0x05;
        }

        public String name() {
            return "Splice Insert";
        }
    }

    /**
     * A component of a component splice.
     *
     * @param componentTag component_tag (8 bits)
     * @param spliceTime its splice_time(), or null for an immediate splice
     */
    record Component(int componentTag, SpliceTime spliceTime) {}

    /** time_signal() (9.7.4), type 0x06. */
    record TimeSignal(SpliceTime spliceTime) implements SpliceCommand {
        public int type() {
            return 0x06;
        }

        public String name() {
            return "Time Signal";
        }
    }

    /** bandwidth_reservation() (9.7.5), type 0x07. */
    record BandwidthReservation() implements SpliceCommand {
        public int type() {
            return 0x07;
        }

        public String name() {
            return "Bandwidth Reservation";
        }
    }

    /**
     * private_command() (9.7.6), type 0xFF.
     *
     * @param identifier identifier (32 bits), a registered format_identifier
     * @param privateBytes the private_byte loop
     */
    record PrivateCommand(long identifier, byte[] privateBytes) implements SpliceCommand {
        public PrivateCommand {
            privateBytes = privateBytes.clone();
        }

        @Override
        public byte[] privateBytes() {
            return privateBytes.clone();
        }

        public int type() {
            return 0xFF;
        }

        public String name() {
            return "Private Command";
        }
    }
}
