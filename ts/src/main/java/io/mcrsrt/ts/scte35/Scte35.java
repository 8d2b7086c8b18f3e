package io.mcrsrt.ts.scte35;

import io.mcrsrt.ts.psi.Crc32Mpeg;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Decodes SCTE-35 cues (ANSI/SCTE 35 2022): a splice_info_section as bytes, base64 or hex. Every length is checked
 * before a field is read; a bad or truncated cue gives a {@link Scte35Exception} naming the field, its byte offset
 * in the section and what was expected, e.g. {@code "section_length 1030 (expected: <= 1021)"}.
 */
public final class Scte35 {
    /** table_id of a splice_info_section. */
    public static final int TABLE_ID = 0xFC;
    /** Largest section_length: a section fits in 1024 bytes (9.6). */
    public static final int MAX_SECTION_LENGTH = 1021;

    private Scte35() {}

    /** Decodes a cue given as base64 (as in HLS and DASH manifests) or hex (with or without 0x). */
    public static SpliceInfoSection decodeCue(String cue) {
        Objects.requireNonNull(cue, "cue must not be null (base64 or hexadecimal text)");
        String s = cue.strip();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            return decodeHex(s);
        }
        if (s.length() % 2 == 0 && s.matches("[0-9A-Fa-f]+") && s.regionMatches(true, 0, "fc", 0, 2)) {
            return decodeHex(s);
        }
        return decodeBase64(s);
    }

    public static SpliceInfoSection decodeBase64(String cue) {
        Objects.requireNonNull(cue, "cue must not be null (base64 text)");
        byte[] b;
        try {
            b = Base64.getDecoder().decode(cue.strip().replace(" ", ""));
        } catch (IllegalArgumentException e) {
            throw new Scte35Exception("cue is not valid base64 (" + e.getMessage() + "); expected base64 such as "
                    + "/DAvAAAAAAAA///wFAVIAACPf+/+c2nALv4AUsz1AAAAAAAKAAhDVUVJAAABNWLbowo=, or hex starting with 0xFC");
        }
        return decode(b, 0, b.length);
    }

    public static SpliceInfoSection decodeHex(String cue) {
        Objects.requireNonNull(cue, "cue must not be null (hexadecimal text)");
        String s = cue.strip();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            s = s.substring(2);
        }
        try {
            byte[] b = HexFormat.of().parseHex(s);
            return decode(b, 0, b.length);
        } catch (IllegalArgumentException e) {
            throw new Scte35Exception("cue is not valid hex (" + e.getMessage() + "); expected an even number of "
                    + "hex digits starting with FC");
        }
    }

    /**
     * Decodes a splice_info_section that starts at {@code section[0]}.
     *
     * @throws Scte35Exception when the bytes are not a valid cue, naming the field and its byte
     */
    public static SpliceInfoSection decode(byte[] section) {
        Objects.requireNonNull(section, "section must not be null");
        return decode(section, 0, section.length);
    }

    /**
     * Decodes the splice_info_section at {@code bytes[from]}; the {@code length} bytes from there are available.
     *
     * @throws IndexOutOfBoundsException when {@code from} and {@code length} do not lie within {@code bytes}
     * @throws Scte35Exception when the bytes are not a valid cue, naming the field and its byte
     */
    public static SpliceInfoSection decode(byte[] bytes, int from, int length) {
        Objects.requireNonNull(bytes, "bytes must not be null");
        // Unchecked, a range past the end was read as a raw array index error, or padded with zeros and called corrupt.
        java.util.Objects.checkFromIndexSize(from, length, bytes.length);
        // Offsets in messages count from table_id, so work on a copy that starts there.
        byte[] b = from == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, from, from + length);
        int offset = 0;
        Reader r = new Reader(b, offset, length);
        r.need(3, "section header");
        int tableId = r.u8();
        if (tableId != TABLE_ID) {
            throw new Scte35Exception(String.format(Locale.ROOT,
                    "table_id 0x%02X at byte 0 (expected: 0xFC)", tableId));
        }
        int flags = r.peek();
        boolean syntax = (flags & 0x80) != 0;
        boolean priv = (flags & 0x40) != 0;
        int sapType = (flags >> 4) & 0x3;
        int sectionLength = r.u16() & 0x0FFF;
        if (sectionLength > MAX_SECTION_LENGTH) {
            throw new Scte35Exception("section_length " + sectionLength + " (expected: <= " + MAX_SECTION_LENGTH + ")");
        }
        if (sectionLength < 17) {
            throw new Scte35Exception("section_length " + sectionLength + " (expected: >= 17, the fixed fields and CRC_32)");
        }
        if (3 + sectionLength > length) {
            throw new Scte35Exception("section_length " + sectionLength + " at byte 1 (expected: <= " + (length - 3)
                    + ", the bytes available: the cue is truncated)");
        }
        int end = offset + 3 + sectionLength;
        r.limit(end);
        long crc = ((long) (b[end - 4] & 0xFF) << 24) | ((b[end - 3] & 0xFF) << 16) | ((b[end - 2] & 0xFF) << 8)
                | (b[end - 1] & 0xFF);
        if (!Crc32Mpeg.verify(b, offset, 3 + sectionLength)) {
            throw new Scte35Exception(String.format(Locale.ROOT,
                    "CRC_32 0x%08X at byte %d does not match the section (computed "
                    + "0x%08X): the cue is corrupt", crc, 3 + sectionLength - 4,
                    Crc32Mpeg.compute(b, offset, 3 + sectionLength - 4) & 0xFFFFFFFFL));
        }
        r.limit(end - 4);
        r.need(11, "protocol_version..splice_command_type");
        int protocolVersion = r.u8();
        if (protocolVersion != 0) {
            throw new Scte35Exception("protocol_version " + protocolVersion + " at byte 3 (expected: 0)");
        }
        int e = r.peek();
        boolean encrypted = (e & 0x80) != 0;
        int algorithm = (e >> 1) & 0x3F;
        long ptsAdjustment = r.u40() & 0x1FFFFFFFFL;
        int cwIndex = r.u8();
        int tierAndLength = r.u24();
        int tier = (tierAndLength >> 12) & 0xFFF;
        int commandLength = tierAndLength & 0xFFF;
        int commandType = r.u8();
        if (encrypted) {
            // Everything from splice_command_type to E_CRC_32 is encrypted (Table 5, "E"): the byte read as the
            // command type is ciphertext.
            return new SpliceInfoSection(tableId, syntax, priv, sapType, sectionLength, protocolVersion, true,
                    algorithm, ptsAdjustment, cwIndex, tier, commandLength, -1, null, -1, List.of(), crc);
        }
        int commandStart = r.pos();
        if (commandLength != 0xFFF && commandLength > r.remaining()) {
            throw new Scte35Exception("splice_command_length " + commandLength + " at byte 11 (expected: <= "
                    + r.remaining() + ", the bytes left before CRC_32)");
        }
        int sectionEnd = r.limit();
        if (commandLength != 0xFFF) {
            r.limit(commandStart + commandLength);
        }
        SpliceCommand command = command(r, commandType, commandLength);
        r.limit(sectionEnd);
        if (commandLength != 0xFFF && r.pos() - commandStart != commandLength) {
            throw new Scte35Exception("splice_command_length " + commandLength + " at byte 11 (expected: "
                    + (r.pos() - commandStart) + ", the length of the " + command.name() + " command)");
        }
        r.need(2, "descriptor_loop_length");
        int loopAt = r.pos();
        int loopLength = r.u16();
        if (loopLength > r.remaining()) {
            throw new Scte35Exception("descriptor_loop_length " + loopLength + " at byte " + loopAt + " (expected: <= "
                    + r.remaining() + ", the bytes left before CRC_32)");
        }
        List<SpliceDescriptor> descriptors = new ArrayList<>();
        int loopEnd = r.pos() + loopLength;
        while (r.pos() < loopEnd) {
            descriptors.add(descriptor(r, loopEnd));
        }
        return new SpliceInfoSection(tableId, syntax, priv, sapType, sectionLength, protocolVersion, false, algorithm,
                ptsAdjustment, cwIndex, tier, commandLength, commandType, command, loopLength, descriptors, crc);
    }

    private static SpliceCommand command(Reader r, int type, int length) {
        return switch (type) {
            case 0x00 -> new SpliceCommand.SpliceNull();
            case 0x04 -> schedule(r);
            case 0x05 -> insert(r);
            case 0x06 -> new SpliceCommand.TimeSignal(spliceTime(r));
            case 0x07 -> new SpliceCommand.BandwidthReservation();
            case 0xFF -> {
                if (length == 0xFFF || length < 4) {
                    throw new Scte35Exception("splice_command_length " + length + " at byte 11 for a private_command "
                            + "(expected: 4..4094, the identifier and private bytes)");
                }
                r.need(4, "private_command identifier");
                long id = r.u32();
                yield new SpliceCommand.PrivateCommand(id, r.bytes(length - 4, "private_byte"));
            }
            default -> throw new Scte35Exception(String.format(Locale.ROOT,
                    "splice_command_type 0x%02X at byte 13 (expected: 0x00, "
                    + "0x04, 0x05, 0x06, 0x07 or 0xFF)", type));
        };
    }

    private static SpliceTime spliceTime(Reader r) {
        r.need(1, "time_specified_flag");
        if ((r.peek() & 0x80) != 0) {
            r.need(5, "pts_time");
            return new SpliceTime(true, r.u40() & 0x1FFFFFFFFL);
        }
        r.u8();
        return new SpliceTime(false, -1);
    }

    private static BreakDuration breakDuration(Reader r) {
        r.need(5, "break_duration");
        boolean autoReturn = (r.peek() & 0x80) != 0;
        return new BreakDuration(autoReturn, r.u40() & 0x1FFFFFFFFL);
    }

    private static SpliceCommand.SpliceInsert insert(Reader r) {
        r.need(5, "splice_event_id");
        long id = r.u32();
        boolean cancel = (r.u8() & 0x80) != 0;
        if (cancel) {
            return new SpliceCommand.SpliceInsert(id, true, false, false, false, false, false, null, List.of(), null, 0,
                    0, 0);
        }
        r.need(1, "out_of_network_indicator");
        int f = r.u8();
        boolean oon = (f & 0x80) != 0;
        boolean program = (f & 0x40) != 0;
        boolean duration = (f & 0x20) != 0;
        boolean immediate = (f & 0x10) != 0;
        boolean compliance = (f & 0x08) != 0;
        SpliceTime time = null;
        List<SpliceCommand.Component> components = new ArrayList<>();
        if (program && !immediate) {
            time = spliceTime(r);
        }
        if (!program) {
            r.need(1, "component_count");
            int count = r.u8();
            for (int i = 0; i < count; i++) {
                r.need(1, "component_tag");
                int tag = r.u8();
                components.add(new SpliceCommand.Component(tag, immediate ? null : spliceTime(r)));
            }
        }
        BreakDuration bd = duration ? breakDuration(r) : null;
        r.need(4, "unique_program_id");
        int upid = r.u16();
        int availNum = r.u8();
        int availsExpected = r.u8();
        return new SpliceCommand.SpliceInsert(id, false, oon, program, duration, immediate, compliance, time,
                components, bd, upid, availNum, availsExpected);
    }

    private static SpliceCommand.SpliceSchedule schedule(Reader r) {
        r.need(1, "splice_count");
        int count = r.u8();
        List<SpliceCommand.ScheduledEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            r.need(5, "splice_event_id");
            long id = r.u32();
            boolean cancel = (r.u8() & 0x80) != 0;
            if (cancel) {
                events.add(new SpliceCommand.ScheduledEvent(id, true, false, false, false, -1, List.of(), null, 0, 0, 0));
                continue;
            }
            r.need(1, "out_of_network_indicator");
            int f = r.u8();
            boolean oon = (f & 0x80) != 0;
            boolean program = (f & 0x40) != 0;
            boolean duration = (f & 0x20) != 0;
            long utc = -1;
            List<long[]> components = new ArrayList<>();
            if (program) {
                r.need(4, "utc_splice_time");
                utc = r.u32();
            } else {
                r.need(1, "component_count");
                int n = r.u8();
                for (int k = 0; k < n; k++) {
                    r.need(5, "component utc_splice_time");
                    int tag = r.u8();
                    components.add(new long[] {tag, r.u32()});
                }
            }
            BreakDuration bd = duration ? breakDuration(r) : null;
            r.need(4, "unique_program_id");
            events.add(new SpliceCommand.ScheduledEvent(id, false, oon, program, duration, utc, components, bd, r.u16(),
                    r.u8(), r.u8()));
        }
        return new SpliceCommand.SpliceSchedule(events);
    }

    private static SpliceDescriptor descriptor(Reader r, int loopEnd) {
        int at = r.pos();
        if (loopEnd - at < 2) {
            throw new Scte35Exception("splice_descriptor_tag at byte " + at + " needs 2 bytes, " + (loopEnd - at)
                    + " left in the descriptor loop");
        }
        int tag = r.u8();
        int len = r.u8();
        if (len > loopEnd - r.pos()) {
            throw new Scte35Exception("descriptor_length " + len + " at byte " + (at + 1) + " (expected: <= "
                    + (loopEnd - r.pos()) + ", the bytes left in the descriptor loop)");
        }
        if (len < 4) {
            throw new Scte35Exception("descriptor_length " + len + " at byte " + (at + 1)
                    + " (expected: >= 4, the identifier)");
        }
        int end = r.pos() + len;
        int outer = r.limit();
        r.limit(end);
        long identifier = r.u32();
        SpliceDescriptor d;
        if (identifier != SpliceDescriptor.CUEI) {
            d = new SpliceDescriptor.Unknown(tag, identifier, r.bytes(end - r.pos(), "private_byte"));
        } else {
            d = switch (tag) {
                case 0x00 -> {
                    r.need(4, "provider_avail_id");
                    yield new SpliceDescriptor.Avail(identifier, r.u32());
                }
                case 0x01 -> {
                    r.need(2, "preroll");
                    int preroll = r.u8();
                    int count = (r.u8() >> 5) & 0x7;
                    byte[] chars = r.bytes(count, "DTMF_char");
                    yield new SpliceDescriptor.Dtmf(identifier, preroll, new String(chars, StandardCharsets.US_ASCII));
                }
                case 0x02 -> segmentation(r, identifier, end);
                case 0x03 -> {
                    r.need(12, "TAI_seconds");
                    long seconds = ((long) r.u16() << 32) | r.u32();
                    yield new SpliceDescriptor.Time(identifier, seconds, r.u32(), r.u16());
                }
                case 0x04 -> {
                    r.need(1, "audio_count");
                    int count = (r.u8() >> 4) & 0xF;
                    List<SpliceDescriptor.AudioComponent> list = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        r.need(5, "audio component");
                        int ctag = r.u8();
                        String iso = new String(r.bytes(3, "ISO_code"), StandardCharsets.US_ASCII);
                        int f = r.u8();
                        list.add(new SpliceDescriptor.AudioComponent(ctag, iso, (f >> 5) & 0x7, (f >> 1) & 0xF,
                                (f & 1) != 0));
                    }
                    yield new SpliceDescriptor.Audio(identifier, list);
                }
                default -> new SpliceDescriptor.Unknown(tag, identifier, r.bytes(end - r.pos(), "private_byte"));
            };
        }
        if (r.pos() < end) {
            r.bytes(end - r.pos(), "descriptor stuffing");
        }
        r.limit(outer);
        return d;
    }

    private static SpliceDescriptor.Segmentation segmentation(Reader r, long identifier, int end) {
        r.need(5, "segmentation_event_id");
        long id = r.u32();
        int f = r.u8();
        boolean cancel = (f & 0x80) != 0;
        boolean compliance = (f & 0x40) != 0;
        if (cancel) {
            return new SpliceDescriptor.Segmentation(identifier, id, true, compliance, false, false, false, false,
                    false, false, 3, List.of(), -1, new SegmentationUpid(0, new byte[0], "", List.of()), 0, 0, 0, -1, -1);
        }
        r.need(1, "program_segmentation_flag");
        int g = r.u8();
        boolean program = (g & 0x80) != 0;
        boolean duration = (g & 0x40) != 0;
        boolean notRestricted = (g & 0x20) != 0;
        boolean web = !notRestricted && (g & 0x10) != 0;
        boolean blackout = !notRestricted && (g & 0x08) != 0;
        boolean archive = !notRestricted && (g & 0x04) != 0;
        int device = notRestricted ? 3 : g & 0x3;
        List<long[]> components = new ArrayList<>();
        if (!program) {
            r.need(1, "component_count");
            int n = r.u8();
            for (int i = 0; i < n; i++) {
                r.need(6, "component pts_offset");
                int tag = r.u8();
                components.add(new long[] {tag, r.u40() & 0x1FFFFFFFFL});
            }
        }
        long segDuration = -1;
        if (duration) {
            r.need(5, "segmentation_duration");
            segDuration = r.u40();
        }
        r.need(2, "segmentation_upid_type");
        int upidType = r.u8();
        int upidLength = r.u8();
        int upidAt = r.pos();
        if (upidLength > r.remaining()) {
            throw new Scte35Exception("segmentation_upid_length " + upidLength + " at byte " + (upidAt - 1)
                    + " (expected: <= " + r.remaining() + ", the bytes left in the descriptor)");
        }
        SegmentationUpid upid = SegmentationUpid.decode(upidType, r.bytes(upidLength, "segmentation_upid"), upidAt);
        r.need(3, "segmentation_type_id");
        int typeId = r.u8();
        int segmentNum = r.u8();
        int segmentsExpected = r.u8();
        int sub = -1;
        int subExpected = -1;
        if (hasSubSegments(typeId) && end - r.pos() >= 2) {
            sub = r.u8();
            subExpected = r.u8();
        }
        return new SpliceDescriptor.Segmentation(identifier, id, false, compliance, program, duration, notRestricted,
                web, blackout, archive, device, components, segDuration, upid, typeId, segmentNum, segmentsExpected,
                sub, subExpected);
    }

    private static boolean hasSubSegments(int typeId) {
        return typeId == 0x34 || typeId == 0x36 || typeId == 0x38 || typeId == 0x3A || typeId == 0x44
                || typeId == 0x46;
    }

    /** The segmentation message of a segmentation_type_id (Table 23). */
    public static String segmentationMessage(int typeId) {
        return switch (typeId) {
            case 0x00 -> "Not Indicated";
            case 0x01 -> "Content Identification";
            case 0x02 -> "Call Ad Server";
            case 0x10 -> "Program Start";
            case 0x11 -> "Program End";
            case 0x12 -> "Program Early Termination";
            case 0x13 -> "Program Breakaway";
            case 0x14 -> "Program Resumption";
            case 0x15 -> "Program Runover Planned";
            case 0x16 -> "Program Runover Unplanned";
            case 0x17 -> "Program Overlap Start";
            case 0x18 -> "Program Blackout Override";
            case 0x19 -> "Program Join";
            case 0x20 -> "Chapter Start";
            case 0x21 -> "Chapter End";
            case 0x22 -> "Break Start";
            case 0x23 -> "Break End";
            case 0x24 -> "Opening Credit Start";
            case 0x25 -> "Opening Credit End";
            case 0x26 -> "Closing Credit Start";
            case 0x27 -> "Closing Credit End";
            case 0x30 -> "Provider Advertisement Start";
            case 0x31 -> "Provider Advertisement End";
            case 0x32 -> "Distributor Advertisement Start";
            case 0x33 -> "Distributor Advertisement End";
            case 0x34 -> "Provider Placement Opportunity Start";
            case 0x35 -> "Provider Placement Opportunity End";
            case 0x36 -> "Distributor Placement Opportunity Start";
            case 0x37 -> "Distributor Placement Opportunity End";
            case 0x38 -> "Provider Overlay Placement Opportunity Start";
            case 0x39 -> "Provider Overlay Placement Opportunity End";
            case 0x3A -> "Distributor Overlay Placement Opportunity Start";
            case 0x3B -> "Distributor Overlay Placement Opportunity End";
            case 0x3C -> "Provider Promo Start";
            case 0x3D -> "Provider Promo End";
            case 0x3E -> "Distributor Promo Start";
            case 0x3F -> "Distributor Promo End";
            case 0x40 -> "Unscheduled Event Start";
            case 0x41 -> "Unscheduled Event End";
            case 0x42 -> "Alternate Content Opportunity Start";
            case 0x43 -> "Alternate Content Opportunity End";
            case 0x44 -> "Provider Ad Block Start";
            case 0x45 -> "Provider Ad Block End";
            case 0x46 -> "Distributor Ad Block Start";
            case 0x47 -> "Distributor Ad Block End";
            case 0x50 -> "Network Start";
            case 0x51 -> "Network End";
            default -> "Reserved";
        };
    }

    /** Reads big-endian fields and checks lengths; positions in messages are relative to the section start. */
    private static final class Reader {
        /** The cue's bytes. */
        private final byte[] b;
        /** Index of table_id in {@link #b}. */
        private final int base;
        /** Next byte to read. */
        private int pos;
        /** End of the region being read (exclusive). */
        private int limit;

        Reader(byte[] b, int offset, int length) {
            this.b = b;
            this.base = offset;
            this.pos = offset;
            this.limit = offset + length;
        }

        void need(int n, String field) {
            if (limit - pos < n) {
                throw new Scte35Exception(field + " at byte " + (pos - base) + " needs " + n + " byte"
                        + (n == 1 ? "" : "s") + ", " + (limit - pos) + " left: the cue is truncated or a length "
                        + "field is wrong");
            }
        }

        int pos() {
            return pos;
        }

        int limit() {
            return limit;
        }

        void limit(int end) {
            limit = end;
        }

        int remaining() {
            return limit - pos;
        }

        int peek() {
            return b[pos] & 0xFF;
        }

        int u8() {
            need(1, "field");
            return b[pos++] & 0xFF;
        }

        int u16() {
            need(2, "field");
            int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        int u24() {
            need(3, "field");
            int v = ((b[pos] & 0xFF) << 16) | ((b[pos + 1] & 0xFF) << 8) | (b[pos + 2] & 0xFF);
            pos += 3;
            return v;
        }

        long u32() {
            need(4, "field");
            long v = ((long) (b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8)
                    | (b[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        long u40() {
            need(5, "field");
            long v = ((long) (b[pos] & 0xFF) << 32) | u32At(pos + 1);
            pos += 5;
            return v;
        }

        private long u32At(int i) {
            return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
        }

        byte[] bytes(int n, String field) {
            need(n, field);
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }
    }
}
