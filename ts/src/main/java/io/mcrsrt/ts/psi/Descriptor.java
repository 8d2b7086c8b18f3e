package io.mcrsrt.ts.psi;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One descriptor (ISO/IEC 13818-1 2.6): tag, and its body without tag and length.
 *
 * @param tag descriptor_tag (8 bits)
 * @param data the descriptor's bytes after descriptor_length
 */
public record Descriptor(int tag, byte[] data) {
    /** registration_descriptor tag; its format_identifier "CUEI" marks SCTE-35 streams. */
    public static final int REGISTRATION = 0x05;
    /** ISO_639_language_descriptor tag. */
    public static final int ISO_639_LANGUAGE = 0x0A;
    /** DVB service_descriptor tag (EN 300 468 6.2.33). */
    public static final int SERVICE = 0x48;

    public Descriptor {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** A readable name for well-known tags, or "tag 0xNN". */
    public String name() {
        return switch (tag) {
            case 0x02 -> "video_stream";
            case 0x03 -> "audio_stream";
            case REGISTRATION -> "registration";
            case 0x09 -> "CA";
            case ISO_639_LANGUAGE -> "ISO_639_language";
            case 0x0E -> "maximum_bitrate";
            case 0x28 -> "AVC_video";
            case 0x38 -> "HEVC_video";
            case SERVICE -> "service";
            case 0x52 -> "stream_identifier";
            case 0x56 -> "teletext";
            case 0x59 -> "subtitling";
            case 0x6A -> "AC-3";
            case 0x7A -> "enhanced_AC-3";
            case 0x7C -> "AAC";
            case 0x8A -> "cue_identifier";
            default -> String.format(Locale.ROOT, "tag 0x%02X", tag);
        };
    }

    /** The format_identifier of a registration descriptor as 4 ASCII characters, or null for other tags. */
    public String formatIdentifier() {
        if (tag != REGISTRATION || data.length < 4) {
            return null;
        }
        return new String(data, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The language code of an ISO_639_language descriptor, or null. */
    public String language() {
        if (tag != ISO_639_LANGUAGE || data.length < 3) {
            return null;
        }
        return new String(data, 0, 3, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return name() + "[" + HexFormat.of().formatHex(data) + "]";
    }

    /**
     * Parses a descriptor loop.
     *
     * @param what the loop's name in the standard, used in error messages
     */
    static List<Descriptor> parseLoop(byte[] b, int offset, int length, String what) {
        List<Descriptor> list = new ArrayList<>();
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (end - i < 2) {
                throw new io.mcrsrt.ts.TsException(what + ": descriptor header at byte " + i + " needs 2 bytes, "
                        + (end - i) + " left");
            }
            int tag = b[i] & 0xFF;
            int len = b[i + 1] & 0xFF;
            if (i + 2 + len > end) {
                throw new io.mcrsrt.ts.TsException(what + ": descriptor_length " + len + " at byte " + (i + 1)
                        + " (expected: <= " + (end - i - 2) + ")");
            }
            byte[] data = new byte[len];
            System.arraycopy(b, i + 2, data, 0, len);
            list.add(new Descriptor(tag, data));
            i += 2 + len;
        }
        return List.copyOf(list);
    }
}
