package io.mcrsrt.ts.psi;

import java.util.Locale;

/** Names of stream_type values (ISO/IEC 13818-1 Table 2-34, plus the values broadcast uses from ATSC and SCTE). */
public final class StreamType {
    public static final int MPEG2_VIDEO = 0x02;
    public static final int MPEG1_AUDIO = 0x03;
    public static final int MPEG2_AUDIO = 0x04;
    public static final int PRIVATE_SECTIONS = 0x05;
    public static final int PES_PRIVATE_DATA = 0x06;
    public static final int AAC_ADTS = 0x0F;
    public static final int MPEG4_VIDEO = 0x10;
    public static final int AAC_LATM = 0x11;
    public static final int H264 = 0x1B;
    public static final int H265 = 0x24;
    public static final int AC3 = 0x81;
    public static final int SCTE35 = 0x86;
    public static final int EAC3 = 0x87;

    private StreamType() {}

    public static String describe(int type) {
        return switch (type) {
            case 0x01 -> "MPEG-1 video";
            case MPEG2_VIDEO -> "MPEG-2 video";
            case MPEG1_AUDIO -> "MPEG-1 audio";
            case MPEG2_AUDIO -> "MPEG-2 audio";
            case PRIVATE_SECTIONS -> "private sections";
            case PES_PRIVATE_DATA -> "PES private data";
            case 0x0D -> "DSM-CC sections";
            case AAC_ADTS -> "AAC (ADTS)";
            case MPEG4_VIDEO -> "MPEG-4 video";
            case AAC_LATM -> "AAC (LATM)";
            case 0x15 -> "metadata (PES)";
            case H264 -> "H.264/AVC video";
            case H265 -> "H.265/HEVC video";
            case 0x32 -> "JPEG XS video";
            case AC3 -> "AC-3 audio";
            case SCTE35 -> "SCTE-35 splice information";
            case EAC3 -> "E-AC-3 audio";
            default -> String.format(Locale.ROOT, "stream type 0x%02X", type);
        };
    }

    /** True for types that carry video. */
    public static boolean isVideo(int type) {
        return type == 0x01 || type == MPEG2_VIDEO || type == MPEG4_VIDEO || type == H264 || type == H265 || type == 0x32;
    }

    /** True for types that carry audio. */
    public static boolean isAudio(int type) {
        return type == MPEG1_AUDIO || type == MPEG2_AUDIO || type == AAC_ADTS || type == AAC_LATM || type == AC3
                || type == EAC3;
    }
}
