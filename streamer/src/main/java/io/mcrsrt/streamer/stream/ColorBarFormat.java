package io.mcrsrt.streamer.stream;

import java.util.Arrays;
import java.util.Optional;

/** The generated SMPTE RP 219 colour-bar + 1 kHz tone formats. */
public enum ColorBarFormat {
    /** 1280x720, 50 frames a second, progressive. */
    HD_720P50("720p50", "colorbar_720p50", 1280, 720, 50, false),
    /** 1920x1080, 25 frames (50 fields) a second, interlaced, top field first. */
    HD_1080I25("1080i25", "colorbar_1080i25", 1920, 1080, 25, true);

    private final String label;
    private final String inputType;
    private final int width;
    private final int height;
    private final int frameRate;
    private final boolean interlaced;

    ColorBarFormat(String label, String inputType, int width, int height, int frameRate, boolean interlaced) {
        this.label = label;
        this.inputType = inputType;
        this.width = width;
        this.height = height;
        this.frameRate = frameRate;
        this.interlaced = interlaced;
    }

    /** {@code 720p50} or {@code 1080i25}: the caption on the picture and the CLI's {@code bars:<label>}. */
    public String label() {
        return label;
    }

    /** The API's {@code input_type}: {@code colorbar_720p50} or {@code colorbar_1080i25}. */
    public String inputType() {
        return inputType;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Frames a second (25 for 1080i25, whose 50 fields make 25 frames). */
    public int frameRate() {
        return frameRate;
    }

    public boolean interlaced() {
        return interlaced;
    }

    /** The format with this API input type, e.g. {@code colorbar_720p50}. */
    public static Optional<ColorBarFormat> fromInputType(String inputType) {
        return Arrays.stream(values()).filter(f -> f.inputType.equalsIgnoreCase(inputType)).findFirst();
    }

    /** The format with this label, e.g. {@code 720p50}. */
    public static Optional<ColorBarFormat> fromLabel(String label) {
        return Arrays.stream(values()).filter(f -> f.label.equalsIgnoreCase(label)).findFirst();
    }
}
