package io.mcrsrt.ts.pacing;

/**
 * How long the audio in one PES payload plays: its frames walked by their own headers and counted, for the formats a
 * broadcast transport stream carries (AAC in ADTS, MPEG-1/2 audio layers I-III, AC-3, E-AC-3). A muxer may pack
 * several audio frames in one PES (ffmpeg: about 170 ms of AAC), so the last PES of a file can end well after its
 * timestamp plus one PES step would say, or well before.
 */
final class AudioFrames {
    private static final int[] AAC_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000,
        11025, 8000, 7350};
    /** MPEG audio bit rates in kbit/s by [version is MPEG-1 ? 0 : 1][layer 1..3 - 1][bitrate_index]. */
    private static final int[][][] MPEG_KBPS = {
        {
            {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
        },
        {
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
        },
    };
    private static final int[] MPEG1_RATES = {44100, 48000, 32000};
    private static final int[] AC3_RATES = {48000, 44100, 32000};
    /** AC-3 frame sizes in 16-bit words by [fscod][frmsizecod] (ATSC A/52 Table 5.18). */
    private static final int[][] AC3_WORDS = {
        {64, 64, 80, 80, 96, 96, 112, 112, 128, 128, 160, 160, 192, 192, 224, 224, 256, 256, 320, 320, 384, 384, 448,
            448, 512, 512, 640, 640, 768, 768, 896, 896, 1024, 1024, 1152, 1152, 1280, 1280},
        {69, 70, 87, 88, 104, 105, 121, 122, 139, 140, 174, 175, 208, 209, 243, 244, 278, 279, 348, 349, 417, 418, 487,
            488, 557, 558, 696, 697, 835, 836, 975, 976, 1114, 1115, 1253, 1254, 1393, 1394},
        {96, 96, 120, 120, 144, 144, 168, 168, 192, 192, 240, 240, 288, 288, 336, 336, 384, 384, 480, 480, 576, 576,
            672, 672, 768, 768, 960, 960, 1152, 1152, 1344, 1344, 1536, 1536, 1728, 1728, 1920, 1920},
    };
    private static final int[] EAC3_BLOCKS = {1, 2, 3, 6};
    private static final int[] EAC3_HALF_RATES = {24000, 22050, 16000};

    private AudioFrames() {
    }

    /**
     * Playing time of the audio frames in {@code b[from, to)}, on the 90 kHz clock, or -1 when they are not frames of
     * a format known here, one after the other from {@code from} (a frame cut short by the end counts whole).
     */
    static long duration90k(byte[] b, int from, int to) {
        double seconds = 0;
        int frames = 0;
        int i = from;
        while (i + 7 <= to) {
            int[] frame = frame(b, i);
            if (frame == null) {
                return -1;
            }
            seconds += (double) frame[1] / frame[2];
            frames++;
            i += frame[0];
        }
        return frames == 0 ? -1 : Math.round(seconds * 90_000);
    }

    /** {length in bytes, samples, sample rate} of the frame starting at {@code b[i]}, or null. */
    private static int[] frame(byte[] b, int i) {
        int b0 = b[i] & 0xFF;
        int b1 = b[i + 1] & 0xFF;
        if (b0 == 0x0B && b1 == 0x77) {
            return dolby(b, i);
        }
        if (b0 != 0xFF || (b1 & 0xE0) != 0xE0) {
            return null;
        }
        int layer = (b1 >> 1) & 0x3;
        return layer == 0 && (b1 & 0x10) != 0 ? adts(b, i) : mpeg(b, i, layer);
    }

    /** ISO/IEC 13818-7 ADTS: 1024 samples per raw data block. */
    private static int[] adts(byte[] b, int i) {
        int rateIndex = (b[i + 2] >> 2) & 0xF;
        int length = ((b[i + 3] & 0x3) << 11) | ((b[i + 4] & 0xFF) << 3) | ((b[i + 5] & 0xFF) >> 5);
        int blocks = (b[i + 6] & 0x3) + 1;
        if (rateIndex >= AAC_RATES.length || length < 7) {
            return null;
        }
        return new int[] {length, 1024 * blocks, AAC_RATES[rateIndex]};
    }

    /** ISO/IEC 11172-3 / 13818-3 audio, layers I-III. */
    private static int[] mpeg(byte[] b, int i, int layerBits) {
        int version = ((b[i + 1] & 0xFF) >> 3) & 0x3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
        int layer = 4 - layerBits; // 1, 2 or 3
        int bitrateIndex = (b[i + 2] & 0xFF) >> 4;
        int rateIndex = (b[i + 2] >> 2) & 0x3;
        if (version == 1 || layerBits == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return null;
        }
        boolean mpeg1 = version == 3;
        int rate = MPEG1_RATES[rateIndex] / (mpeg1 ? 1 : version == 2 ? 2 : 4);
        int bitrate = MPEG_KBPS[mpeg1 ? 0 : 1][layer - 1][bitrateIndex] * 1000;
        int padding = (b[i + 2] >> 1) & 0x1;
        if (layer == 1) {
            return new int[] {(12 * bitrate / rate + padding) * 4, 384, rate};
        }
        int samples = layer == 3 && !mpeg1 ? 576 : 1152;
        return new int[] {samples / 8 * bitrate / rate + padding, samples, rate};
    }

    /** ATSC A/52 AC-3 (bsid up to 10) and E-AC-3 (bsid 11-16). */
    private static int[] dolby(byte[] b, int i) {
        int bsid = (b[i + 5] & 0xFF) >> 3;
        if (bsid <= 10) {
            int fscod = (b[i + 4] & 0xFF) >> 6;
            int frmsizecod = b[i + 4] & 0x3F;
            if (fscod == 3 || frmsizecod >= 38) {
                return null;
            }
            return new int[] {AC3_WORDS[fscod][frmsizecod] * 2, 1536, AC3_RATES[fscod]};
        }
        if (bsid > 16) {
            return null;
        }
        int words = (((b[i + 2] & 0x7) << 8) | (b[i + 3] & 0xFF)) + 1;
        int fscod = (b[i + 4] & 0xFF) >> 6;
        if (fscod == 3) {
            int fscod2 = (b[i + 4] >> 4) & 0x3;
            return fscod2 == 3 ? null : new int[] {words * 2, 256 * 6, EAC3_HALF_RATES[fscod2]};
        }
        return new int[] {words * 2, 256 * EAC3_BLOCKS[(b[i + 4] >> 4) & 0x3], AC3_RATES[fscod]};
    }
}
