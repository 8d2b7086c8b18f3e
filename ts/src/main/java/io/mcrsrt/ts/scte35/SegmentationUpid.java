package io.mcrsrt.ts.scte35;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * segmentation_upid() of a segmentation descriptor (ANSI/SCTE 35 10.3.3.1, Table 22), decoded by type.
 *
 * @param type segmentation_upid_type (8 bits)
 * @param bytes the raw segmentation_upid bytes
 * @param value a readable form: text for text types, 0x-hex for binary ones, EIDR as 10.nnnn/xxxx-...
 * @param parts the UPIDs inside an MID (type 0x0D); empty for other types
 */
public record SegmentationUpid(int type, byte[] bytes, String value, List<SegmentationUpid> parts) {
    public SegmentationUpid {
        bytes = bytes.clone();
        parts = List.copyOf(parts);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The name of the type as Table 22 gives it. */
    public String typeName() {
        return typeName(type);
    }

    public static String typeName(int type) {
        return switch (type) {
            case 0x00 -> "Not Used";
            case 0x01 -> "User Defined";
            case 0x02 -> "ISCI";
            case 0x03 -> "Ad-ID";
            case 0x04 -> "UMID";
            case 0x05 -> "ISAN (deprecated)";
            case 0x06 -> "ISAN";
            case 0x07 -> "TID";
            case 0x08 -> "AiringID";
            case 0x09 -> "ADI";
            case 0x0A -> "EIDR";
            case 0x0B -> "ATSC Content Identifier";
            case 0x0C -> "MPU";
            case 0x0D -> "MID";
            case 0x0E -> "ADS Information";
            case 0x0F -> "URI";
            case 0x10 -> "UUID";
            case 0x11 -> "SCR";
            default -> "Reserved";
        };
    }

    /** Fixed lengths Table 22 sets per type, or -1 where the length varies. */
    static int expectedLength(int type) {
        return switch (type) {
            case 0x00 -> 0;
            case 0x02, 0x05, 0x08 -> 8;
            case 0x03, 0x06, 0x07, 0x0A -> 12;
            case 0x04 -> 32;
            case 0x10 -> 16;
            default -> -1;
        };
    }

    /** Decodes the bytes of a UPID of {@code type}; {@code at} is its byte offset, for error messages. */
    static SegmentationUpid decode(int type, byte[] b, int at) {
        int fixed = expectedLength(type);
        if (fixed >= 0 && b.length != fixed) {
            throw new Scte35Exception("segmentation_upid_length " + b.length + " at byte " + (at - 1) + " for "
                    + typeName(type) + " (expected: " + fixed + ")");
        }
        HexFormat hex = HexFormat.of();
        String value = switch (type) {
            case 0x00 -> "";
            case 0x02, 0x03, 0x07, 0x09, 0x0E, 0x0F, 0x11 -> new String(b, StandardCharsets.US_ASCII);
            case 0x0A -> "10." + (((b[0] & 0xFF) << 8) | (b[1] & 0xFF)) + "/" + eidr(hex.formatHex(b, 2, 12));
            case 0x06 -> isan(hex.formatHex(b));
            case 0x10 -> uuid(hex.formatHex(b));
            case 0x0C -> mpu(b, at);
            case 0x0B -> atsc(b, at);
            default -> "0x" + hex.formatHex(b);
        };
        List<SegmentationUpid> parts = type == 0x0D ? mid(b, at) : List.of();
        return new SegmentationUpid(type, b, value, parts);
    }

    private static String eidr(String h) {
        String u = h.toUpperCase(Locale.ROOT);
        return u.substring(0, 4) + "-" + u.substring(4, 8) + "-" + u.substring(8, 12) + "-" + u.substring(12, 16) + "-"
                + u.substring(16, 20);
    }

    private static String isan(String h) {
        String u = h.toUpperCase(Locale.ROOT);
        return u.substring(0, 4) + "-" + u.substring(4, 8) + "-" + u.substring(8, 12) + "-" + u.substring(12, 16) + "-"
                + u.substring(16, 20) + "-" + u.substring(20, 24);
    }

    private static String uuid(String h) {
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
                + h.substring(20);
    }

    private static String mpu(byte[] b, int at) {
        if (b.length < 4) {
            throw new Scte35Exception("MPU format_identifier at byte " + at + " needs 4 bytes, " + b.length + " given");
        }
        return "format_identifier=" + new String(b, 0, 4, StandardCharsets.US_ASCII) + " private_data=0x"
                + HexFormat.of().formatHex(b, 4, b.length);
    }

    private static String atsc(byte[] b, int at) {
        if (b.length < 4) {
            throw new Scte35Exception("ATSC Content Identifier at byte " + at + " needs >= 4 bytes, " + b.length + " given");
        }
        int tsid = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        int endOfDay = (b[2] >> 1) & 0x1F;
        int uniqueFor = ((b[2] & 0x01) << 8) | (b[3] & 0xFF);
        return "TSID=" + tsid + " end_of_day=" + endOfDay + " unique_for=" + uniqueFor + " content_id="
                + new String(b, 4, b.length - 4, StandardCharsets.US_ASCII);
    }

    private static List<SegmentationUpid> mid(byte[] b, int at) {
        List<SegmentationUpid> list = new java.util.ArrayList<>();
        int i = 0;
        while (i < b.length) {
            if (b.length - i < 2) {
                throw new Scte35Exception("MID segmentation_upid_type at byte " + (at + i) + " needs 2 bytes, "
                        + (b.length - i) + " left");
            }
            int t = b[i] & 0xFF;
            int len = b[i + 1] & 0xFF;
            if (i + 2 + len > b.length) {
                throw new Scte35Exception("MID segmentation_upid_length " + len + " at byte " + (at + i + 1)
                        + " (expected: <= " + (b.length - i - 2) + ")");
            }
            list.add(decode(t, java.util.Arrays.copyOfRange(b, i + 2, i + 2 + len), at + i + 2));
            i += 2 + len;
        }
        return list;
    }
}
