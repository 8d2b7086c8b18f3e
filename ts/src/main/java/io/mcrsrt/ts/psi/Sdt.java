package io.mcrsrt.ts.psi;

import io.mcrsrt.ts.TsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * DVB service description table (ETSI EN 300 468 5.2.3), actual transport stream (table_id 0x42) on PID 0x0011.
 *
 * @param transportStreamId transport_stream_id (16 bits)
 * @param version version_number (5 bits)
 * @param originalNetworkId original_network_id (16 bits)
 * @param services the services described
 */
public record Sdt(int transportStreamId, int version, int originalNetworkId, List<Service> services) {
    public static final int PID = 0x0011;
    public static final int TABLE_ID_ACTUAL = 0x42;

    /**
     * @param serviceId service_id (16 bits), equal to the program_number in the PAT
     * @param serviceType service_type from the service_descriptor (0x01 digital TV, 0x02 radio...), or -1
     * @param providerName service_provider_name, or ""; decoded by its character table (EN 300 468 Annex A), or, in a
     *     table not decoded, "[not decoded: why; bytes ...]" with the bytes in hex
     * @param serviceName service_name, or ""; decoded as {@code providerName} is
     * @param runningStatus running_status (3 bits)
     * @param freeCaMode free_CA_mode: true when scrambled
     */
    public record Service(int serviceId, int serviceType, String providerName, String serviceName, int runningStatus,
            boolean freeCaMode) {}

    public Sdt {
        services = List.copyOf(services);
    }

    /** Parses one complete actual-TS section, CRC included. */
    public static Sdt parse(byte[] b, int offset, int length) {
        Objects.requireNonNull(b, "b must not be null");
        int total = Section.checkLong(b, offset, length, TABLE_ID_ACTUAL, "SDT");
        int end = offset + total - 4;
        int tsid = Section.u16(b, offset + 3);
        int version = (b[offset + 5] >> 1) & 0x1F;
        int onid = Section.u16(b, offset + 8);
        List<Service> services = new ArrayList<>();
        int i = offset + 11;
        while (i < end) {
            if (end - i < 5) {
                throw new TsException("SDT service entry at byte " + (i - offset) + " needs 5 bytes, " + (end - i) + " left");
            }
            int serviceId = Section.u16(b, i);
            int status = (b[i + 3] >> 5) & 0x7;
            boolean freeCa = (b[i + 3] & 0x10) != 0;
            int loop = Section.u16(b, i + 3) & 0x0FFF;
            if (i + 5 + loop > end) {
                throw new TsException("SDT descriptors_loop_length " + loop + " at byte " + (i + 3 - offset)
                        + " (expected: <= " + (end - i - 5) + ")");
            }
            int type = -1;
            String provider = "";
            String name = "";
            for (Descriptor d : Descriptor.parseLoop(b, i + 5, loop, "SDT descriptors")) {
                if (d.tag() == Descriptor.SERVICE) {
                    byte[] s = d.data();
                    if (s.length >= 2) {
                        type = s[0] & 0xFF;
                        int pl = Math.min(s[1] & 0xFF, s.length - 2);
                        provider = DvbText.decode(s, 2, pl);
                        int at = 2 + pl;
                        if (at < s.length) {
                            int nl = Math.min(s[at] & 0xFF, s.length - at - 1);
                            name = DvbText.decode(s, at + 1, nl);
                        }
                    }
                }
            }
            services.add(new Service(serviceId, type, provider, name, status, freeCa));
            i += 5 + loop;
        }
        return new Sdt(tsid, version, onid, services);
    }
}
