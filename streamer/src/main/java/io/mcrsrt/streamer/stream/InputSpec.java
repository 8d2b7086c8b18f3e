package io.mcrsrt.streamer.stream;

import io.mcrsrt.srt.AddressText;
import java.net.Inet6Address;
import java.net.InetAddress;
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

        /**
         * Why this input's source-specific join can never be made, naming the source, the group and the fix; null when
         * it can, or when either is no IP literal. A join names the sender by an address of the group's family: the
         * kernel refuses an IPv4 source for an IPv6 group and the reverse, however often it is asked.
         */
        public String sourceFamilyMismatch() {
            InetAddress group = AddressText.literal(address);
            InetAddress source = sourceAddress == null ? null : AddressText.literal(sourceAddress);
            if (group == null || source == null || group.getClass() == source.getClass()) {
                return null;
            }
            return "Multicast source '" + sourceAddress + "' is an " + family(source) + " address and the group '"
                    + address + "' an " + family(group) + " one: a source-specific join names the sender by an"
                    + " address of the group's family; give the sender's " + family(group) + " address.";
        }

        private static String family(InetAddress address) {
            return address instanceof Inet6Address ? "IPv6" : "IPv4";
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
