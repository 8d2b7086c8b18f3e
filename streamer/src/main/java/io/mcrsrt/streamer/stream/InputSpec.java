package io.mcrsrt.streamer.stream;

import java.util.Objects;

/** Where a stream's transport stream comes from. Values are validated before they reach the engine. */
public sealed interface InputSpec {

    /** The API's {@code input_type} for this input: {@code file}, {@code multicast} or {@code colorbar_*}. */
    String inputType();

    /** A short human description, e.g. {@code news.ts} or {@code 239.1.1.1:5000 via eth0}. */
    String describe();

    /**
     * An MPEG-TS file under the media folder, paced by its PCRs.
     *
     * @param relativePath path relative to {@code MEDIA_FOLDER}, never absolute, never containing {@code ..}
     * @param loop         play endlessly with a seamless seam; when false the stream ends at the end of the file
     */
    record File(String relativePath, boolean loop) implements InputSpec {
        public File {
            Objects.requireNonNull(relativePath, "relativePath");
        }

        @Override
        public String inputType() {
            return "file";
        }

        @Override
        public String describe() {
            return relativePath;
        }
    }

    /**
     * A UDP stream, multicast or unicast, raw TS or RTP-wrapped TS (recognised automatically).
     *
     * @param address        group (or local unicast address) to receive on
     * @param port           UDP port, 1..65535
     * @param interfaceName  interface name or address to join on; null or empty for the default route's interface
     * @param sourceAddress  source for source-specific multicast; null for any-source
     */
    record Multicast(String address, int port, String interfaceName, String sourceAddress) implements InputSpec {
        public Multicast {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String inputType() {
            return "multicast";
        }

        @Override
        public String describe() {
            String where = StreamConfig.hostPort(address, port);
            if (sourceAddress != null && !sourceAddress.isEmpty()) {
                where = sourceAddress + "@" + where;
            }
            return interfaceName == null || interfaceName.isEmpty() ? where : where + " via " + interfaceName;
        }
    }

    /** Generated SMPTE colour bars with a 1 kHz tone, pre-rendered once and looped. */
    record ColorBars(ColorBarFormat format) implements InputSpec {
        public ColorBars {
            Objects.requireNonNull(format, "format");
        }

        @Override
        public String inputType() {
            return format.inputType();
        }

        @Override
        public String describe() {
            return "Colour bars " + format.label();
        }
    }
}
