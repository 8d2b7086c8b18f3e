package io.mcrsrt.ts.scte35;

import java.util.List;

/** A splice_descriptor() (ANSI/SCTE 35 10), one record per splice_descriptor_tag. */
public sealed interface SpliceDescriptor {
    /** The "CUEI" identifier every SCTE-defined splice descriptor carries. */
    long CUEI = 0x43554549L;

    /** splice_descriptor_tag (8 bits). */
    int tag();

    /** identifier (32 bits), 0x43554549 ("CUEI") for SCTE descriptors. */
    long identifier();

    /** The descriptor's name as the standard gives it. */
    String name();

    /** avail_descriptor() (10.3.1), tag 0x00. */
    record Avail(long identifier, long providerAvailId) implements SpliceDescriptor {
        public int tag() {
            return 0x00;
        }

        public String name() {
            return "Avail Descriptor";
        }
    }

    /**
     * DTMF_descriptor() (10.3.2), tag 0x01.
     *
     * @param preroll preroll (8 bits, tenths of a second)
     * @param dtmfChars the DTMF_char loop as text
     */
    record Dtmf(long identifier, int preroll, String dtmfChars) implements SpliceDescriptor {
        public int tag() {
            return 0x01;
        }

        public String name() {
            return "DTMF Descriptor";
        }
    }

    /**
     * segmentation_descriptor() (10.3.3), tag 0x02.
     *
     * @param segmentationEventId segmentation_event_id (32 bits)
     * @param cancel segmentation_event_cancel_indicator
     * @param eventIdCompliance segmentation_event_id_compliance_indicator
     * @param programSegmentation program_segmentation_flag
     * @param durationFlag segmentation_duration_flag
     * @param deliveryNotRestricted delivery_not_restricted_flag
     * @param webDeliveryAllowed web_delivery_allowed_flag (meaningful when delivery is restricted)
     * @param noRegionalBlackout no_regional_blackout_flag (meaningful when delivery is restricted)
     * @param archiveAllowed archive_allowed_flag (meaningful when delivery is restricted)
     * @param deviceRestrictions device_restrictions (2 bits; meaningful when delivery is restricted)
     * @param components component_tag and pts_offset per component, for a component segmentation
     * @param segmentationDuration segmentation_duration (40 bits, 90 kHz), or -1
     * @param upid the segmentation_upid
     * @param segmentationTypeId segmentation_type_id (8 bits)
     * @param segmentNum segment_num (8 bits)
     * @param segmentsExpected segments_expected (8 bits)
     * @param subSegmentNum sub_segment_num, or -1 when absent
     * @param subSegmentsExpected sub_segments_expected, or -1 when absent
     */
    record Segmentation(long identifier, long segmentationEventId, boolean cancel, boolean eventIdCompliance,
            boolean programSegmentation, boolean durationFlag, boolean deliveryNotRestricted,
            boolean webDeliveryAllowed, boolean noRegionalBlackout, boolean archiveAllowed, int deviceRestrictions,
            List<long[]> components, long segmentationDuration, SegmentationUpid upid, int segmentationTypeId,
            int segmentNum, int segmentsExpected, int subSegmentNum, int subSegmentsExpected)
            implements SpliceDescriptor {
        public Segmentation {
            components = List.copyOf(components);
        }

        public int tag() {
            return 0x02;
        }

        public String name() {
            return "Segmentation Descriptor";
        }

        /** The segmentation message of {@link #segmentationTypeId()} from Table 23. */
        public String segmentationMessage() {
            return Scte35.segmentationMessage(segmentationTypeId);
        }

        public String deviceRestrictionsName() {
            return switch (deviceRestrictions) {
                case 0 -> "Restrict Group 0";
                case 1 -> "Restrict Group 1";
                case 2 -> "Restrict Group 2";
                default -> "No Restrictions";
            };
        }
    }

    /**
     * time_descriptor() (10.3.4), tag 0x03.
     *
     * @param taiSeconds TAI_seconds (48 bits)
     * @param taiNs TAI_ns (32 bits)
     * @param utcOffset UTC_offset (16 bits)
     */
    record Time(long identifier, long taiSeconds, long taiNs, int utcOffset) implements SpliceDescriptor {
        public int tag() {
            return 0x03;
        }

        public String name() {
            return "Time Descriptor";
        }
    }

    /**
     * audio_descriptor() (10.3.5), tag 0x04.
     *
     * @param components one entry per audio component
     */
    record Audio(long identifier, List<AudioComponent> components) implements SpliceDescriptor {
        public Audio {
            components = List.copyOf(components);
        }

        public int tag() {
            return 0x04;
        }

        public String name() {
            return "Audio Descriptor";
        }
    }

    /**
     * One component of an audio_descriptor().
     *
     * @param componentTag component_tag (8 bits)
     * @param isoCode ISO_code (24 bits) as three letters
     * @param bitStreamMode Bit_Stream_Mode (3 bits)
     * @param numChannels Num_Channels (4 bits)
     * @param fullSrvcAudio Full_Srvc_Audio
     */
    record AudioComponent(int componentTag, String isoCode, int bitStreamMode, int numChannels, boolean fullSrvcAudio) {}

    /** A descriptor with a tag this decoder does not know, or a private identifier; its bytes are kept. */
    record Unknown(int tag, long identifier, byte[] data) implements SpliceDescriptor {
        public Unknown {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public String name() {
            return "Unknown Descriptor";
        }
    }
}
