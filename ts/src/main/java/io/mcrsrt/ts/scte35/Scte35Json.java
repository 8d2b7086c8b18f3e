package io.mcrsrt.ts.scte35;

import io.mcrsrt.ts.JsonWriter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a decoded cue as JSON with the standard's field names, laid out as threefive does: {@code info_section},
 * {@code command}, {@code descriptors}. Times are in seconds (6 decimals) with the 90 kHz tick count beside them
 * ({@code pts_time} and {@code pts_time_ticks}).
 */
public final class Scte35Json {
    private Scte35Json() {}

    public static String toJson(SpliceInfoSection s) {
        Objects.requireNonNull(s, "s must not be null (a cue from Scte35.decode)");
        JsonWriter w = new JsonWriter();
        write(w, s);
        return w.toString();
    }

    /** Writes the cue as one JSON object into {@code w}. */
    public static void write(JsonWriter w, SpliceInfoSection s) {
        Objects.requireNonNull(w, "w must not be null");
        Objects.requireNonNull(s, "s must not be null (a cue from Scte35.decode)");
        w.beginObject();
        w.name("info_section").beginObject()
                .field("table_id", hex(s.tableId(), 2))
                .field("section_syntax_indicator", s.sectionSyntaxIndicator())
                .field("private", s.privateIndicator())
                .field("sap_type", hex(s.sapType(), 2))
                .field("sap_details", s.sapDetails())
                .field("section_length", s.sectionLength())
                .field("protocol_version", s.protocolVersion())
                .field("encrypted_packet", s.encryptedPacket())
                .field("encryption_algorithm", s.encryptionAlgorithm())
                .field("pts_adjustment", s.ptsAdjustment() / 90_000.0, 6)
                .field("pts_adjustment_ticks", s.ptsAdjustment())
                .field("cw_index", hex(s.cwIndex(), 2))
                .field("tier", hex(s.tier(), 4))
                .field("splice_command_length", s.spliceCommandLength());
        if (!s.encryptedPacket()) {
            w.field("splice_command_type", s.spliceCommandType())
                    .field("descriptor_loop_length", s.descriptorLoopLength());
        }
        w.field("crc", hex(s.crc32(), 8))
                .endObject();
        if (s.encryptedPacket()) {
            w.field("encrypted", "splice command and descriptors are encrypted with "
                    + s.encryptionAlgorithmName() + " (cw_index " + s.cwIndex() + "); not decoded");
        } else {
            w.name("command");
            command(w, s.command(), s.spliceCommandLength());
            w.name("descriptors").beginArray();
            for (SpliceDescriptor d : s.descriptors()) {
                descriptor(w, d);
            }
            w.endArray();
        }
        w.endObject();
    }

    private static void command(JsonWriter w, SpliceCommand c, int length) {
        w.beginObject().field("command_length", length).field("command_type", c.type()).field("name", c.name());
        switch (c) {
            case SpliceCommand.SpliceNull n -> { }
            case SpliceCommand.BandwidthReservation b -> { }
            case SpliceCommand.TimeSignal t -> spliceTime(w, t.spliceTime());
            case SpliceCommand.PrivateCommand p -> w.field("identifier", hex(p.identifier(), 8))
                    .field("private_bytes", "0x" + HexFormat.of().formatHex(p.privateBytes()));
            case SpliceCommand.SpliceInsert i -> {
                w.field("splice_event_id", i.spliceEventId())
                        .field("splice_event_cancel_indicator", i.cancel());
                if (!i.cancel()) {
                    w.field("out_of_network_indicator", i.outOfNetwork())
                            .field("program_splice_flag", i.programSplice())
                            .field("duration_flag", i.durationFlag())
                            .field("splice_immediate_flag", i.spliceImmediate())
                            .field("event_id_compliance_flag", i.eventIdCompliance());
                    if (i.spliceTime() != null) {
                        spliceTime(w, i.spliceTime());
                    }
                    if (!i.programSplice()) {
                        w.field("component_count", i.components().size());
                        w.name("components").beginArray();
                        for (SpliceCommand.Component k : i.components()) {
                            w.beginObject().field("component_tag", k.componentTag());
                            if (k.spliceTime() != null) {
                                spliceTime(w, k.spliceTime());
                            }
                            w.endObject();
                        }
                        w.endArray();
                    }
                    if (i.breakDuration() != null) {
                        breakDuration(w, i.breakDuration());
                    }
                    w.field("unique_program_id", i.uniqueProgramId())
                            .field("avail_num", i.availNum())
                            .field("avails_expected", i.availsExpected());
                }
            }
            case SpliceCommand.SpliceSchedule s -> {
                w.field("splice_count", s.events().size());
                w.name("events").beginArray();
                for (SpliceCommand.ScheduledEvent e : s.events()) {
                    w.beginObject().field("splice_event_id", e.spliceEventId())
                            .field("splice_event_cancel_indicator", e.cancel());
                    if (!e.cancel()) {
                        w.field("out_of_network_indicator", e.outOfNetwork())
                                .field("program_splice_flag", e.programSplice())
                                .field("duration_flag", e.durationFlag());
                        if (e.programSplice()) {
                            w.field("utc_splice_time", e.utcSpliceTime());
                        } else {
                            w.name("components").beginArray();
                            for (long[] k : e.components()) {
                                w.beginObject().field("component_tag", k[0]).field("utc_splice_time", k[1]).endObject();
                            }
                            w.endArray();
                        }
                        if (e.breakDuration() != null) {
                            breakDuration(w, e.breakDuration());
                        }
                        w.field("unique_program_id", e.uniqueProgramId()).field("avail_num", e.availNum())
                                .field("avails_expected", e.availsExpected());
                    }
                    w.endObject();
                }
                w.endArray();
            }
        }
        w.endObject();
    }

    private static void spliceTime(JsonWriter w, SpliceTime t) {
        w.field("time_specified_flag", t.timeSpecified());
        if (t.timeSpecified()) {
            w.field("pts_time", t.seconds(), 6).field("pts_time_ticks", t.ptsTime());
        }
    }

    private static void breakDuration(JsonWriter w, BreakDuration b) {
        w.field("break_auto_return", b.autoReturn()).field("break_duration", b.seconds(), 6)
                .field("break_duration_ticks", b.duration());
    }

    private static void descriptor(JsonWriter w, SpliceDescriptor d) {
        w.beginObject().field("tag", d.tag()).field("name", d.name()).field("identifier", identifier(d.identifier()));
        switch (d) {
            case SpliceDescriptor.Avail a -> w.field("provider_avail_id", a.providerAvailId());
            case SpliceDescriptor.Dtmf t -> w.field("preroll", t.preroll()).field("dtmf_count", t.dtmfChars().length())
                    .field("dtmf_chars", t.dtmfChars());
            case SpliceDescriptor.Time t -> w.field("tai_seconds", t.taiSeconds()).field("tai_ns", t.taiNs())
                    .field("utc_offset", t.utcOffset());
            case SpliceDescriptor.Audio a -> {
                w.field("audio_count", a.components().size()).name("components").beginArray();
                for (SpliceDescriptor.AudioComponent c : a.components()) {
                    w.beginObject().field("component_tag", c.componentTag()).field("iso_code", c.isoCode())
                            .field("bit_stream_mode", c.bitStreamMode()).field("num_channels", c.numChannels())
                            .field("full_srvc_audio", c.fullSrvcAudio()).endObject();
                }
                w.endArray();
            }
            case SpliceDescriptor.Unknown u -> w.field("private_data", "0x" + HexFormat.of().formatHex(u.data()));
            case SpliceDescriptor.Segmentation s -> segmentation(w, s);
        }
        w.endObject();
    }

    private static void segmentation(JsonWriter w, SpliceDescriptor.Segmentation s) {
        w.field("segmentation_event_id", hex(s.segmentationEventId(), 8))
                .field("segmentation_event_cancel_indicator", s.cancel())
                .field("segmentation_event_id_compliance_indicator", s.eventIdCompliance());
        if (s.cancel()) {
            return;
        }
        w.field("program_segmentation_flag", s.programSegmentation())
                .field("segmentation_duration_flag", s.durationFlag())
                .field("delivery_not_restricted_flag", s.deliveryNotRestricted());
        if (!s.deliveryNotRestricted()) {
            w.field("web_delivery_allowed_flag", s.webDeliveryAllowed())
                    .field("no_regional_blackout_flag", s.noRegionalBlackout())
                    .field("archive_allowed_flag", s.archiveAllowed())
                    .field("device_restrictions", s.deviceRestrictionsName());
        }
        if (!s.programSegmentation()) {
            w.name("components").beginArray();
            for (long[] c : s.components()) {
                w.beginObject().field("component_tag", c[0]).field("pts_offset", c[1] / 90_000.0, 6)
                        .field("pts_offset_ticks", c[1]).endObject();
            }
            w.endArray();
        }
        if (s.durationFlag()) {
            w.field("segmentation_duration", s.segmentationDuration() / 90_000.0, 6)
                    .field("segmentation_duration_ticks", s.segmentationDuration());
        }
        upid(w, s.upid(), "segmentation_upid");
        w.field("segmentation_type_id", s.segmentationTypeId())
                .field("segmentation_message", s.segmentationMessage())
                .field("segment_num", s.segmentNum())
                .field("segments_expected", s.segmentsExpected());
        if (s.subSegmentNum() >= 0) {
            w.field("sub_segment_num", s.subSegmentNum()).field("sub_segments_expected", s.subSegmentsExpected());
        }
    }

    private static void upid(JsonWriter w, SegmentationUpid u, String name) {
        w.field(name + "_type", u.type())
                .field(name + "_type_name", u.typeName())
                .field(name + "_length", u.bytes().length);
        if (u.type() == 0x0D) {
            w.name(name).beginArray();
            for (SegmentationUpid part : u.parts()) {
                w.beginObject();
                upid(w, part, "upid");
                w.endObject();
            }
            w.endArray();
        } else {
            w.field(name, u.value());
        }
    }

    private static String identifier(long id) {
        byte[] b = {(byte) (id >> 24), (byte) (id >> 16), (byte) (id >> 8), (byte) id};
        for (byte c : b) {
            if (c < 0x20 || c > 0x7E) {
                return hex(id, 8);
            }
        }
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static String hex(long v, int digits) {
        return String.format(Locale.ROOT, "0x%0" + digits + "x", v);
    }
}
