package io.mcrsrt.ts.scte35;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcrsrt.ts.PacketReader;
import io.mcrsrt.ts.TestStreams;
import io.mcrsrt.ts.TsPacket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The example cues of ANSI/SCTE 35 2019 section 14, and hand-built cues for everything the examples leave out. */
class Scte35Test {
    private static final String EX_14_1 = "/DA0AAAAAAAA///wBQb+cr0AUAAeAhxDVUVJSAAAjn/PAAGlmbAICAAAAAAsoKGKNAIAmsnRfg==";
    private static final String EX_14_2 = "/DAvAAAAAAAA///wFAVIAACPf+/+c2nALv4AUsz1AAAAAAAKAAhDVUVJAAABNWLbowo=";
    private static final String EX_14_3 = "/DAvAAAAAAAA///wBQb+dGKQoAAZAhdDVUVJSAAAjn+fCAgAAAAALKChijUCAKnMZ1g=";
    private static final String EX_14_4 =
            "/DBIAAAAAAAA///wBQb+ek2ItgAyAhdDVUVJSAAAGH+fCAgAAAAALMvDRBEAAAIXQ1VFSUgAABl/nwgIAAAAACyk26AQAACZcuND";
    private static final String EX_14_8 = "/DBhAAAAAAAA///wBQb+qM1E7QBLAhdDVUVJSAAArX+fCAgAAAAALLLXnTUCAAIXQ1VFSUgAACZ/nwgI"
            + "AAAAACyy150RAAACF0NVRUlIAAAnf58ICAAAAAAsstezEAAAihiGnw==";

    @Test
    void aRangeOutsideTheArrayIsRefusedNamingItInsteadOfBeingReadAsACorruptOrTruncatedCue() {
        byte[] cue = Base64.getDecoder().decode(EX_14_1);
        byte[] shifted = new byte[cue.length + 5];
        System.arraycopy(cue, 0, shifted, 5, cue.length);
        assertThat(Scte35.decode(shifted, 5, cue.length).spliceCommandType()).isEqualTo(6);
        assertThatThrownBy(() -> Scte35.decode(java.util.Arrays.copyOf(cue, 30), 0, 100))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("100").hasMessageContaining("30");
        assertThatThrownBy(() -> Scte35.decode(shifted, 5, cue.length + 10))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining(String.valueOf(shifted.length));
        assertThatThrownBy(() -> Scte35.decode(cue, -1, 10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Scte35.decode(cue, 0, -3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void example14_1TimeSignalPlacementOpportunityStart() {
        SpliceInfoSection s = Scte35.decodeBase64(EX_14_1);
        assertThat(s.tableId()).isEqualTo(0xFC);
        assertThat(s.sectionSyntaxIndicator()).isFalse();
        assertThat(s.privateIndicator()).isFalse();
        assertThat(s.sapType()).isEqualTo(3);
        assertThat(s.sectionLength()).isEqualTo(52);
        assertThat(s.protocolVersion()).isZero();
        assertThat(s.encryptedPacket()).isFalse();
        assertThat(s.encryptionAlgorithm()).isZero();
        assertThat(s.ptsAdjustment()).isZero();
        assertThat(s.cwIndex()).isEqualTo(0xFF);
        assertThat(s.tier()).isEqualTo(0xFFF);
        assertThat(s.spliceCommandLength()).isEqualTo(5);
        assertThat(s.spliceCommandType()).isEqualTo(6);
        SpliceCommand.TimeSignal ts = (SpliceCommand.TimeSignal) s.command();
        assertThat(ts.spliceTime().timeSpecified()).isTrue();
        assertThat(ts.spliceTime().ptsTime()).isEqualTo(0x072BD0050L);
        assertThat(ts.spliceTime().seconds()).isEqualTo(21388.766756, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(s.descriptorLoopLength()).isEqualTo(30);
        SpliceDescriptor.Segmentation d = (SpliceDescriptor.Segmentation) s.descriptors().getFirst();
        assertThat(d.identifier()).isEqualTo(SpliceDescriptor.CUEI);
        assertThat(d.segmentationEventId()).isEqualTo(0x4800008EL);
        assertThat(d.cancel()).isFalse();
        assertThat(d.programSegmentation()).isTrue();
        assertThat(d.durationFlag()).isTrue();
        assertThat(d.deliveryNotRestricted()).isFalse();
        assertThat(d.webDeliveryAllowed()).isFalse();
        assertThat(d.noRegionalBlackout()).isTrue();
        assertThat(d.archiveAllowed()).isTrue();
        assertThat(d.deviceRestrictions()).isEqualTo(3);
        assertThat(d.segmentationDuration()).isEqualTo(0x0001A599B0L);
        assertThat(d.segmentationDuration() / 90_000.0).isEqualTo(307.0);
        assertThat(d.upid().type()).isEqualTo(0x08);
        assertThat(d.upid().typeName()).isEqualTo("AiringID");
        assertThat(d.upid().bytes()).isEqualTo(HexFormat.of().parseHex("000000002ca0a18a"));
        assertThat(d.upid().value()).isEqualTo("0x000000002ca0a18a");
        assertThat(d.segmentationTypeId()).isEqualTo(0x34);
        assertThat(d.segmentationMessage()).isEqualTo("Provider Placement Opportunity Start");
        assertThat(d.segmentNum()).isEqualTo(2);
        assertThat(d.segmentsExpected()).isZero();
        assertThat(d.subSegmentNum()).isEqualTo(-1); // the 2019 example predates sub-segments: no bytes left for them
        assertThat(s.crc32()).isEqualTo(0x9AC9D17EL);
    }

    @Test
    void example14_2SpliceInsert() {
        SpliceInfoSection s = Scte35.decodeBase64(EX_14_2);
        assertThat(s.sectionLength()).isEqualTo(47);
        assertThat(s.tier()).isEqualTo(0xFFF);
        assertThat(s.spliceCommandLength()).isEqualTo(0x14);
        SpliceCommand.SpliceInsert i = (SpliceCommand.SpliceInsert) s.command();
        assertThat(i.spliceEventId()).isEqualTo(0x4800008FL);
        assertThat(i.cancel()).isFalse();
        assertThat(i.outOfNetwork()).isTrue();
        assertThat(i.programSplice()).isTrue();
        assertThat(i.durationFlag()).isTrue();
        assertThat(i.spliceImmediate()).isFalse();
        assertThat(i.spliceTime().ptsTime()).isEqualTo(0x07369C02EL);
        assertThat(i.spliceTime().seconds()).isEqualTo(21514.559089, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(i.breakDuration().autoReturn()).isTrue();
        assertThat(i.breakDuration().duration()).isEqualTo(0x00052CCF5L);
        assertThat(i.breakDuration().seconds()).isEqualTo(60.293567, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(i.uniqueProgramId()).isZero();
        assertThat(i.availNum()).isZero();
        assertThat(i.availsExpected()).isZero();
        assertThat(s.descriptorLoopLength()).isEqualTo(10);
        SpliceDescriptor.Avail a = (SpliceDescriptor.Avail) s.descriptors().getFirst();
        assertThat(a.providerAvailId()).isEqualTo(0x135);
        assertThat(s.crc32()).isEqualTo(0x62DBA30AL);
    }

    @Test
    void example14_3TimeSignalPlacementOpportunityEnd() {
        SpliceInfoSection s = Scte35.decodeBase64(EX_14_3);
        assertThat(((SpliceCommand.TimeSignal) s.command()).spliceTime().ptsTime()).isEqualTo(0x0746290A0L);
        SpliceDescriptor.Segmentation d = (SpliceDescriptor.Segmentation) s.descriptors().getFirst();
        assertThat(d.segmentationEventId()).isEqualTo(0x4800008EL);
        assertThat(d.durationFlag()).isFalse();
        assertThat(d.segmentationDuration()).isEqualTo(-1);
        assertThat(d.deliveryNotRestricted()).isFalse();
        assertThat(d.webDeliveryAllowed()).isTrue();
        assertThat(d.noRegionalBlackout()).isTrue();
        assertThat(d.archiveAllowed()).isTrue();
        assertThat(d.deviceRestrictions()).isEqualTo(3);
        assertThat(d.segmentationTypeId()).isEqualTo(0x35);
        assertThat(d.segmentNum()).isEqualTo(2);
        assertThat(s.crc32()).isEqualTo(0xA9CC6758L);
    }

    @Test
    void example14_4TimeSignalProgramStartEndHasTwoDescriptors() {
        SpliceInfoSection s = Scte35.decodeBase64(EX_14_4);
        assertThat(s.sectionLength()).isEqualTo(72);
        assertThat(((SpliceCommand.TimeSignal) s.command()).spliceTime().ptsTime()).isEqualTo(0x07A4D88B6L);
        assertThat(s.descriptorLoopLength()).isEqualTo(50);
        assertThat(s.descriptors()).hasSize(2);
        SpliceDescriptor.Segmentation end = (SpliceDescriptor.Segmentation) s.descriptors().get(0);
        SpliceDescriptor.Segmentation start = (SpliceDescriptor.Segmentation) s.descriptors().get(1);
        assertThat(end.segmentationEventId()).isEqualTo(0x48000018L);
        assertThat(end.segmentationMessage()).isEqualTo("Program End");
        assertThat(end.upid().bytes()).isEqualTo(HexFormat.of().parseHex("000000002ccbc344"));
        assertThat(start.segmentationEventId()).isEqualTo(0x48000019L);
        assertThat(start.segmentationMessage()).isEqualTo("Program Start");
        assertThat(start.upid().bytes()).isEqualTo(HexFormat.of().parseHex("000000002ca4dba0"));
        assertThat(s.crc32()).isEqualTo(0x9972E343L);
    }

    @ParameterizedTest(name = "14.{0}: time {1}, events {2}, types {3}")
    @CsvSource(delimiter = ';', value = {
        "5; 0x0aebfff64; 0x48000008; 0x17; /DAvAAAAAAAA///wBQb+rr//ZAAZAhdDVUVJSAAACH+fCAgAAAAALKVs9RcAAJUdsKg=",
        "6; 0x0932e380b; 0x4800000a 0x48000009; 0x18 0x11; /DBIAAAAAAAA///wBQb+ky44CwAyAhdDVUVJSAAACn+fCAgAAAAALKCh4xgAAAIXQ1VFSUgAAAl/nwgIAAAAACygoYoRAAC0IX6w",
        "7; 0x0aef17c4c; 0x48000007; 0x11; /DAvAAAAAAAA///wBQb+rvF8TAAZAhdDVUVJSAAAB3+fCAgAAAAALKVslxEAAMSHai4=",
        "8; 0x0a8cd44ed; 0x480000ad 0x48000026 0x48000027; 0x35 0x11 0x10; " + EX_14_8,
    })
    void examples14_5To14_8DecodeTimeEventsAndTypes(int example, String time, String events, String types, String cue) {
        SpliceInfoSection s = Scte35.decodeCue(cue);
        assertThat(((SpliceCommand.TimeSignal) s.command()).spliceTime().ptsTime()).isEqualTo(Long.decode(time));
        List<String> ids = new ArrayList<>();
        List<String> typeIds = new ArrayList<>();
        for (SpliceDescriptor d : s.descriptors()) {
            SpliceDescriptor.Segmentation seg = (SpliceDescriptor.Segmentation) d;
            ids.add(String.format("0x%08x", seg.segmentationEventId()));
            typeIds.add(String.format("0x%02x", seg.segmentationTypeId()));
        }
        assertThat(String.join(" ", ids)).isEqualTo(events);
        assertThat(String.join(" ", typeIds)).isEqualTo(types);
    }

    @Test
    void hexCueDecodesLikeBase64() {
        String hex = "0xFC302F000000000000FFFFF014054800008F7FEFFE7369C02EFE0052CCF500000000000A0008435545490000013562DBA30A";
        assertThat(Scte35.decodeCue(hex)).isEqualTo(Scte35.decodeBase64(EX_14_2));
        assertThat(Scte35.decodeCue(hex.substring(2).toLowerCase())).isEqualTo(Scte35.decodeBase64(EX_14_2));
    }

    @Test
    void jsonUsesTheStandardFieldNames() {
        String json = Scte35Json.toJson(Scte35.decodeBase64(EX_14_2));
        assertThat(json).contains("\"info_section\": {", "\"table_id\": \"0xfc\"", "\"section_length\": 47",
                "\"tier\": \"0x0fff\"", "\"splice_command_type\": 5", "\"command_length\": 20", "\"crc\": \"0x62dba30a\"", "\"name\": \"Splice Insert\"",
                "\"splice_event_id\": 1207959695", "\"out_of_network_indicator\": true", "\"pts_time\": 21514.559089",
                "\"break_duration\": 60.293567", "\"break_auto_return\": true", "\"name\": \"Avail Descriptor\"",
                "\"identifier\": \"CUEI\"", "\"provider_avail_id\": 309");
        String seg = Scte35Json.toJson(Scte35.decodeBase64(EX_14_1));
        assertThat(seg).contains("\"segmentation_event_id\": \"0x4800008e\"", "\"segmentation_duration\": 307.000000",
                "\"segmentation_upid_type\": 8", "\"segmentation_upid_type_name\": \"AiringID\"",
                "\"segmentation_upid\": \"0x000000002ca0a18a\"", "\"segmentation_type_id\": 52",
                "\"segmentation_message\": \"Provider Placement Opportunity Start\"", "\"device_restrictions\": \"No Restrictions\"");
    }

    /** A splice_info_section around {@code command} and {@code descriptors}, CRC computed. */
    private static byte[] cue(int type, byte[] command, byte[] descriptors) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0xFC, 0x30, 0, 0, 0, 0, 0, 0x2D, 0, (byte) 0xFF, (byte) 0xFF,
            (byte) (0xF0 | (command.length >> 8)), (byte) command.length, (byte) type});
        b.writeBytes(command);
        b.writeBytes(new byte[] {(byte) (descriptors.length >> 8), (byte) descriptors.length});
        b.writeBytes(descriptors);
        return TestStreams.section(b.toByteArray());
    }

    private static byte[] descriptor(int tag, byte[] body) {
        return TestStreams.concat(new byte[] {(byte) tag, (byte) (body.length + 4), 'C', 'U', 'E', 'I'}, body);
    }

    private static byte[] segmentation(int upidType, byte[] upid, int typeId, byte... tail) {
        return descriptor(2, TestStreams.concat(new byte[] {0, 0, 0, 1, 0x7F, (byte) 0xBF, (byte) upidType,
            (byte) upid.length}, upid, new byte[] {(byte) typeId, 1, 2}, tail));
    }

    @Test
    void spliceNullBandwidthReservationAndPtsAdjustment() {
        SpliceInfoSection n = Scte35.decode(cue(0, new byte[0], new byte[0]));
        assertThat(n.command()).isEqualTo(new SpliceCommand.SpliceNull());
        assertThat(n.ptsAdjustment()).isEqualTo(0x2D00);
        assertThat(Scte35.decode(cue(7, new byte[0], new byte[0])).command().name()).isEqualTo("Bandwidth Reservation");
    }

    @Test
    void privateCommandKeepsIdentifierAndBytes() {
        SpliceInfoSection s = Scte35.decode(cue(0xFF, new byte[] {'A', 'B', 'C', 'D', 1, 2, 3}, new byte[0]));
        SpliceCommand.PrivateCommand p = (SpliceCommand.PrivateCommand) s.command();
        assertThat(p.identifier()).isEqualTo(0x41424344L);
        assertThat(p.privateBytes()).containsExactly(1, 2, 3);
    }

    @Test
    void spliceScheduleWithProgramAndComponentEvents() {
        byte[] cmd = {2,
            0, 0, 0, 1, 0x7F, (byte) 0xE0, 0x5F, 0x00, 0x00, 0x10, (byte) 0xFE, 0, 0, 0x52, (byte) 0xCC, 0, 7, 1, 2,
            0, 0, 0, 2, 0x7F, (byte) 0x80, 2, 5, 0, 0, 0, 9, 6, 0, 0, 0, 10, 0, 8, 0, 0};
        SpliceCommand.SpliceSchedule s = (SpliceCommand.SpliceSchedule) Scte35.decode(cue(4, cmd, new byte[0])).command();
        assertThat(s.events()).hasSize(2);
        SpliceCommand.ScheduledEvent a = s.events().get(0);
        assertThat(a.spliceEventId()).isEqualTo(1);
        assertThat(a.outOfNetwork()).isTrue();
        assertThat(a.programSplice()).isTrue();
        assertThat(a.utcSpliceTime()).isEqualTo(0x5F000010L);
        assertThat(a.breakDuration().autoReturn()).isTrue();
        assertThat(a.breakDuration().duration()).isEqualTo(0x10000052CCL & 0x1FFFFFFFFL);
        assertThat(a.uniqueProgramId()).isEqualTo(7);
        assertThat(a.availNum()).isEqualTo(1);
        assertThat(a.availsExpected()).isEqualTo(2);
        SpliceCommand.ScheduledEvent b = s.events().get(1);
        assertThat(b.programSplice()).isFalse();
        assertThat(b.components()).hasSize(2);
        assertThat(b.components().get(1)).containsExactly(6, 10);
        assertThat(b.uniqueProgramId()).isEqualTo(8);
    }

    @Test
    void componentSpliceInsertAndCancel() {
        byte[] cmd = {0, 0, 0, 5, 0x7F, (byte) 0x8F, 2, 1, (byte) 0xFE, 0, 0, 0, 1, 2, 0x7F, 0, 1, 0, 0};
        SpliceCommand.SpliceInsert i = (SpliceCommand.SpliceInsert) Scte35.decode(cue(5, cmd, new byte[0])).command();
        assertThat(i.programSplice()).isFalse();
        assertThat(i.components()).containsExactly(new SpliceCommand.Component(1, new SpliceTime(true, 1)),
                new SpliceCommand.Component(2, new SpliceTime(false, -1)));
        assertThat(i.uniqueProgramId()).isEqualTo(1);
        SpliceCommand.SpliceInsert c = (SpliceCommand.SpliceInsert) Scte35
                .decode(cue(5, new byte[] {0, 0, 0, 9, (byte) 0xFF}, new byte[0])).command();
        assertThat(c.cancel()).isTrue();
        assertThat(c.spliceEventId()).isEqualTo(9);
    }

    @Test
    void dtmfTimeAndAudioDescriptors() {
        byte[] d = TestStreams.concat(
                descriptor(1, new byte[] {50, (byte) 0x60, '1', '2', '*'}),
                descriptor(3, new byte[] {0, 0, 0x65, 0x5F, 0x00, 0x00, 0, 0, 0, 100, 0, 37}),
                descriptor(4, new byte[] {0x20, 1, 'e', 'n', 'g', (byte) 0b010_0010_1, 2, 'd', 'e', 'u', 0}));
        SpliceInfoSection s = Scte35.decode(cue(6, new byte[] {0x7F}, d));
        assertThat(s.descriptors().get(0)).isEqualTo(new SpliceDescriptor.Dtmf(SpliceDescriptor.CUEI, 50, "12*"));
        assertThat(s.descriptors().get(1)).isEqualTo(new SpliceDescriptor.Time(SpliceDescriptor.CUEI, 0x655F0000L, 100, 37));
        SpliceDescriptor.Audio a = (SpliceDescriptor.Audio) s.descriptors().get(2);
        assertThat(a.components()).containsExactly(new SpliceDescriptor.AudioComponent(1, "eng", 2, 2, true),
                new SpliceDescriptor.AudioComponent(2, "deu", 0, 0, false));
        assertThat(((SpliceCommand.TimeSignal) s.command()).spliceTime().timeSpecified()).isFalse();
    }

    @ParameterizedTest(name = "UPID type {0} ({1})")
    @CsvSource(delimiter = ';', value = {
        "0x03; Ad-ID; 414243444546474849303132; ABCDEFGHI012",
        "0x02; ISCI; 4142434431323334; ABCD1234",
        "0x07; TID; 4d5630303030303030303030; MV0000000000",
        "0x0A; EIDR; 14380000000000000000000a; 10.5176/0000-0000-0000-0000-000A",
        "0x06; ISAN; 00000000000000010000000a; 0000-0000-0000-0001-0000-000A",
        "0x09; ADI; 50524f56494445523a31; PROVIDER:1",
        "0x0F; URI; 75726e3a613a62; urn:a:b",
        "0x10; UUID; 0123456789abcdef0123456789abcdef; 01234567-89ab-cdef-0123-456789abcdef",
        "0x0C; MPU; 4d4f564901ff; format_identifier=MOVI private_data=0x01ff",
        "0x0B; ATSC Content Identifier; 0001 01 02 41; TSID=1 end_of_day=0 unique_for=258 content_id=A",
        "0x01; User Defined; 0102; 0x0102",
        "0x04; UMID; 060a2b340101010501010d4313000000ad5f2b5b6e8f11dd8b7a001b63a4a2da; 0x060a2b340101010501010d4313000000ad5f2b5b6e8f11dd8b7a001b63a4a2da",
        "0x0E; ADS Information; 616473; ads",
        "0x11; SCR; 736372; scr",
        "0x00; Not Used; ''; ''",
    })
    void everyUpidTypeDecodes(String type, String name, String hex, String value) {
        byte[] upid = HexFormat.of().parseHex(hex.replace(" ", ""));
        SpliceInfoSection s = Scte35.decode(cue(6, new byte[] {0x7F}, segmentation(Integer.decode(type), upid, 0x10)));
        SegmentationUpid u = ((SpliceDescriptor.Segmentation) s.descriptors().getFirst()).upid();
        assertThat(u.typeName()).isEqualTo(name);
        assertThat(u.value()).isEqualTo(value);
    }

    @Test
    void midUpidHoldsSeveralUpids() {
        byte[] mid = HexFormat.of().parseHex("0308" + "4142434431323334".substring(0, 16) + "0f03616263");
        mid[1] = 12;
        mid = HexFormat.of().parseHex("030c414243444546474849303132" + "0f03616263");
        SpliceInfoSection s = Scte35.decode(cue(6, new byte[] {0x7F}, segmentation(0x0D, mid, 0x34, (byte) 1, (byte) 3)));
        SpliceDescriptor.Segmentation d = (SpliceDescriptor.Segmentation) s.descriptors().getFirst();
        assertThat(d.upid().parts()).extracting(SegmentationUpid::typeName, SegmentationUpid::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Ad-ID", "ABCDEFGHI012"), org.assertj.core.groups.Tuple.tuple("URI", "abc"));
        assertThat(d.subSegmentNum()).isEqualTo(1);
        assertThat(d.subSegmentsExpected()).isEqualTo(3);
        assertThat(Scte35Json.toJson(s)).contains("\"upid_type_name\": \"Ad-ID\"", "\"sub_segments_expected\": 3");
    }

    @Test
    void encryptedCueIsReportedNotDecoded() {
        byte[] c = cue(5, new byte[] {1, 2, 3, 4, 5}, new byte[0]);
        c[4] = (byte) 0x84; // encrypted_packet, encryption_algorithm 2 (DES CBC)
        SpliceInfoSection s = Scte35.decode(TestStreams.section(java.util.Arrays.copyOf(c, c.length - 4)));
        assertThat(s.encryptedPacket()).isTrue();
        assertThat(s.encryptionAlgorithm()).isEqualTo(2);
        assertThat(s.encryptionAlgorithmName()).isEqualTo("DES - CBC mode");
        assertThat(s.command()).isNull();
        // splice_command_type is itself encrypted: the 0x05 in its place is ciphertext, not a command type
        assertThat(s.spliceCommandType()).isEqualTo(-1);
        assertThat(Scte35Json.toJson(s)).contains("\"encrypted_packet\": true", "are encrypted with DES - CBC mode")
                .doesNotContain("splice_command_type", "descriptor_loop_length");
    }

    @Test
    void sectionLengthBeyondTheLimitIsNamed() {
        byte[] c = Base64.getDecoder().decode(EX_14_2);
        c[1] = 0x34;
        c[2] = 0x06;
        assertThatThrownBy(() -> Scte35.decode(c)).isInstanceOf(Scte35Exception.class)
                .hasMessage("section_length 1030 (expected: <= 1021)");
    }

    @Test
    void truncatedCueNamesTheLengthAndWhatIsThere() {
        byte[] c = Base64.getDecoder().decode(EX_14_2);
        assertThatThrownBy(() -> Scte35.decode(c, 0, 30)).hasMessage(
                "section_length 47 at byte 1 (expected: <= 27, the bytes available: the cue is truncated)");
    }

    @Test
    void corruptCueFailsItsCrc() {
        byte[] c = Base64.getDecoder().decode(EX_14_2);
        c[20] ^= 0x10;
        assertThatThrownBy(() -> Scte35.decode(c)).hasMessageStartingWith("CRC_32 0x62DBA30A at byte 46 does not match");
    }

    @Test
    void wrongLengthsInsideTheSectionNameFieldAndOffset() {
        assertThatThrownBy(() -> Scte35.decode(cue(6, new byte[] {(byte) 0xFE, 0, 0}, new byte[0])))
                .hasMessage("pts_time at byte 14 needs 5 bytes, 3 left: the cue is truncated or a length field is wrong");
        byte[] longDescriptor = {0, 20, 'C', 'U', 'E', 'I', 0, 0, 0, 1};
        assertThatThrownBy(() -> Scte35.decode(cue(0, new byte[0], longDescriptor)))
                .hasMessage("descriptor_length 20 at byte 17 (expected: <= 8, the bytes left in the descriptor loop)");
        assertThatThrownBy(() -> Scte35.decode(cue(0x09, new byte[0], new byte[0])))
                .hasMessage("splice_command_type 0x09 at byte 13 (expected: 0x00, 0x04, 0x05, 0x06, 0x07 or 0xFF)");
        assertThatThrownBy(() -> Scte35.decode(cue(6, new byte[] {0x7F},
                segmentation(0x08, new byte[] {1, 2, 3}, 0x10))))
                .hasMessage("segmentation_upid_length 3 at byte 30 for AiringID (expected: 8)");
        assertThatThrownBy(() -> Scte35.decodeCue("not a cue!"))
                .hasMessageStartingWith("cue is not valid base64");
    }

    @Test
    void cuesAreFoundOnTheScte35PidFromThePmt() throws IOException {
        byte[] cue = Base64.getDecoder().decode(EX_14_2);
        byte[] stream = TestStreams.concat(
                TestStreams.sectionPacket(0, 0, TestStreams.pat(1, 0, 1, 0x1000)),
                TestStreams.sectionPacket(0x1000, 0, TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100, 0x86, 0x1F0)),
                TestStreams.pcrPacket(0x100, 0, 27_000_000L * 21514, false),
                TestStreams.sectionPacket(0x1F0, 0, cue),
                TestStreams.sectionPacket(0x1F1, 0, cue)); // not announced: ignored
        List<Scte35Monitor.Cue> cues = new ArrayList<>();
        Scte35Monitor m = new Scte35Monitor(cues::add);
        PacketReader r = PacketReader.of(stream, 0, stream.length);
        TsPacket p = new TsPacket();
        while (r.next(p)) {
            m.accept(p);
        }
        assertThat(m.pids()).containsExactly(0x1F0);
        assertThat(cues).singleElement().satisfies(c -> {
            assertThat(c.pid()).isEqualTo(0x1F0);
            assertThat(c.packetNumber()).isEqualTo(3);
            assertThat(c.pcr()).isEqualTo(27_000_000L * 21514);
            assertThat(c.section()).isEqualTo(Scte35.decode(cue));
            assertThat(c.error()).isNull();
        });
    }

    @Test
    void cuesOnAPidNoPmtAnnouncesAreCountedPerPidNotDecoded() throws IOException {
        // A multiplexer that leaves the cue PID out of the PMT: before, nothing told the cues were there at all.
        byte[] cue = Base64.getDecoder().decode(EX_14_2);
        byte[] corrupt = cue.clone();
        corrupt[corrupt.length - 1] ^= 1;
        byte[] stream = TestStreams.concat(
                TestStreams.sectionPacket(0, 0, TestStreams.pat(1, 0, 1, 0x1000)),
                TestStreams.sectionPacket(0x1000, 0, TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100, 0x86, 0x1F0)),
                TestStreams.sectionPacket(0x1F1, 0, cue),
                TestStreams.sectionPacket(0x1F1, 1, cue),
                TestStreams.sectionPacket(0x1F2, 0, corrupt), // CRC_32 does not check: not taken for a cue
                TestStreams.sectionPacket(0x1F0, 0, cue));
        List<Scte35Monitor.Cue> cues = new ArrayList<>();
        Scte35Monitor m = new Scte35Monitor(cues::add);
        PacketReader r = PacketReader.of(stream, 0, stream.length);
        TsPacket p = new TsPacket();
        while (r.next(p)) {
            m.accept(p);
        }
        assertThat(m.unannouncedCues()).containsExactly(java.util.Map.entry(0x1F1, 2L));
        assertThat(cues).singleElement().satisfies(c -> assertThat(c.pid()).isEqualTo(0x1F0));
    }

    @Test
    void aMonitorFedFromADirectBufferFindsWhatItFindsInPackets() throws IOException {
        // A stream's thread holds its packets in a direct buffer: the monitor looks into the few that matter there
        // and must find the same cues, packet numbers and PCRs as from the packets themselves.
        byte[] cue = Base64.getDecoder().decode(EX_14_2);
        byte[] pes = TestStreams.packet(0x100, 0, true);
        pes[4] = 0;
        pes[5] = 0;
        pes[6] = 1;
        byte[] stream = TestStreams.concat(
                TestStreams.sectionPacket(0, 0, TestStreams.pat(1, 0, 1, 0x1000)),
                TestStreams.sectionPacket(0x1000, 0, TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100, 0x86, 0x1F0)),
                pes,
                TestStreams.pcrPacket(0x100, 1, 27_000_000L * 21514, false),
                TestStreams.packet(0x100, 2, false),
                TestStreams.sectionPacket(0x1F0, 0, cue),
                TestStreams.sectionPacket(0x1F1, 0, cue),
                TestStreams.pcrPacket(0x100, 3, 27_000_000L * 21515, false),
                TestStreams.sectionPacket(0x1F0, 1, cue));
        List<Scte35Monitor.Cue> fromPackets = new ArrayList<>();
        Scte35Monitor m = new Scte35Monitor(fromPackets::add);
        PacketReader r = PacketReader.of(stream, 0, stream.length);
        TsPacket p = new TsPacket();
        while (r.next(p)) {
            m.accept(p);
        }
        List<Scte35Monitor.Cue> fromBuffer = new ArrayList<>();
        Scte35Monitor b = new Scte35Monitor(fromBuffer::add);
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(stream.length + 3);
        direct.position(3).put(stream);
        for (int at = 3; at < direct.limit(); at += TsPacket.SIZE) {
            b.accept(direct, at);
        }
        assertThat(fromPackets).hasSize(2);
        assertThat(fromBuffer).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Scte35Monitor.Cue want = fromPackets.get(i);
            Scte35Monitor.Cue got = fromBuffer.get(i);
            assertThat(List.of(got.pid(), got.packetNumber(), got.pcr(), got.section()))
                    .isEqualTo(List.of(want.pid(), want.packetNumber(), want.pcr(), want.section()));
        }
        assertThat(fromBuffer.get(1).pcr()).isEqualTo(27_000_000L * 21515);
        assertThat(b.packets()).isEqualTo(m.packets()).isEqualTo(9);
        assertThat(b.unannouncedCues()).isEqualTo(m.unannouncedCues()).containsExactly(java.util.Map.entry(0x1F1, 1L));
        assertThat(b.unannouncedCueCount()).isEqualTo(1);
    }

    @Test
    void aMonitorFedFromABufferCopiesOutThePatThePmtAndTheCuesAloneNotTheDvbTablesNorThePcrs() throws IOException {
        // A service with an EIT schedule (PID 0x12, often Mbit/s): before, every packet of it and of the SDT, and each
        // PCR, was copied out and its sections' CRC_32 computed, on the thread that sends the stream.
        byte[] cue = Base64.getDecoder().decode(EX_14_2);
        byte[] sdt = TestStreams.section(new byte[] {0x42, (byte) 0xF0, 0, 0, 1, (byte) 0xC1, 0, 0, 0, 1, (byte) 0xFF});
        byte[] eit = new byte[1000];
        System.arraycopy(new byte[] {0x50, (byte) 0xF0, 0, 0, 1, (byte) 0xC1, 0, 0, 0, 1, 0, 1, 0, 0x50}, 0, eit, 0, 14);
        eit = TestStreams.section(eit);
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        stream.writeBytes(TestStreams.sectionPacket(0, 0, TestStreams.pat(1, 0, 1, 0x1000)));
        stream.writeBytes(TestStreams.sectionPacket(0x1000, 0, TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100, 0x86, 0x1F0)));
        stream.writeBytes(TestStreams.sectionPacket(0x11, 0, sdt));
        int eitPackets = 0;
        for (int i = 0; i < 20; i++) {
            byte[] packets = TestStreams.sectionPackets(0x12, eitPackets, eit);
            eitPackets += packets.length / TsPacket.SIZE;
            stream.writeBytes(packets);
            stream.writeBytes(TestStreams.pcrPacket(0x100, i, 27_000_000L * (21514 + i), false));
            stream.writeBytes(TestStreams.packet(0x100, i, false));
        }
        stream.writeBytes(TestStreams.sectionPacket(0x1F0, 0, cue));
        stream.writeBytes(TestStreams.sectionPacket(0, 1, TestStreams.pat(1, 0, 1, 0x1000)));
        stream.writeBytes(TestStreams.sectionPacket(0x1000, 1, TestStreams.pmt(1, 0, 0x100, 0x1B, 0x100, 0x86, 0x1F0)));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(stream.toByteArray());
        List<Scte35Monitor.Cue> cues = new ArrayList<>();
        Scte35Monitor m = new Scte35Monitor(cues::add);
        for (int at = 0; at < b.limit(); at += TsPacket.SIZE) {
            m.accept(b, at);
        }
        assertThat(eitPackets).isEqualTo(20 * 6);
        assertThat(m.packets()).isEqualTo(b.limit() / TsPacket.SIZE);
        assertThat(m.packetsCopied()).as("the two PATs, the two PMTs and the cue").isEqualTo(5);
        assertThat(cues).singleElement().satisfies(c -> {
            assertThat(c.section()).isEqualTo(Scte35.decode(cue));
            assertThat(c.pcr()).as("the PCR before it, read where it is").isEqualTo(27_000_000L * (21514 + 19));
        });
    }

    @Test
    void aCueInWordsGivesItsDescriptorsOnLinesOfTheirOwnOrAfterASemicolonOnOne() {
        SpliceInfoSection s = Scte35.decodeCue(EX_14_2);
        String first = "Splice Insert event 1207959695 out of network at pts 21514.559089 s break 60.293567 s"
                + " auto-return program 0 avail 0/0";
        assertThat(Scte35Text.describe(s)).isEqualTo(first + "\n  Avail Descriptor provider_avail_id 309");
        assertThat(Scte35Text.oneLine(s)).isEqualTo(first + "; Avail Descriptor provider_avail_id 309");
    }

    @Test
    void aMonitorWithoutASinkIsRefusedWhenMadeNotWhenItsFirstCueComes() {
        // Unchecked, the monitor was made and fed; the first cue, maybe hours into a stream, failed instead.
        assertThatThrownBy(() -> new Scte35Monitor(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("sink must not be null (it is handed each cue; cue -> { } to keep none)");
    }
}
