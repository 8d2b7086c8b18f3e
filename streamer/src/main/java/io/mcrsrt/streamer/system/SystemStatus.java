package io.mcrsrt.streamer.system;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The host's state in the original {@code SystemInfo} shape: CPU, memory, disk, network counters, time, user, uptime;
 * and where callers reach the SRT listener streams ({@code srt_listen_addresses}, see {@link ListenerReach}).
 * Reads {@code /proc} and the JDK's management beans; never reaches the internet ({@code external_ip} is left
 * {@code "Unavailable"} because looking it up needs a third-party service).
 */
public final class SystemStatus {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);

    private final Path diskPath;
    private final ListenerReach listeners;

    /**
     * @param diskPath  a path on the disk to report (the media folder)
     * @param listeners where callers reach the SRT listener streams
     */
    public SystemStatus(Path diskPath, ListenerReach listeners) {
        this.diskPath = diskPath;
        this.listeners = listeners;
    }

    /** A fresh snapshot, field names as the original's {@code /api/system/status}. */
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        double cpu = cpuLoad();
        m.put("cpu_usage", round1(cpu * 100));
        long[] mem = memory();
        m.put("memory_total", human(mem[0]));
        m.put("memory_used", human(mem[0] - mem[1]));
        m.put("memory_percent", mem[0] == 0 ? 0.0 : round1(100.0 * (mem[0] - mem[1]) / mem[0]));
        long[] disk = disk();
        m.put("disk_total", human(disk[0]));
        m.put("disk_used", human(disk[0] - disk[1]));
        m.put("disk_percent", disk[0] == 0 ? 0.0 : round1(100.0 * (disk[0] - disk[1]) / disk[0]));
        m.put("external_ip", "Unavailable");
        m.put("srt_listen_addresses", listeners.addresses());
        m.put("utc_time", ZonedDateTime.now(ZoneOffset.UTC).format(UTC));
        m.put("current_user", System.getProperty("user.name", "unknown"));
        m.put("uptime", formatUptime(hostUptimeSeconds()));
        m.put("network", network());
        m.put("location_error", null);
        return m;
    }

    private static double cpuLoad() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getCpuLoad();
            return load < 0 ? 0 : load;
        }
        return 0;
    }

    /** [total, available] bytes from /proc/meminfo. */
    private static long[] memory() {
        long total = 0;
        long available = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                String[] p = line.split("\\s+");
                if (p[0].equals("MemTotal:")) {
                    total = Long.parseLong(p[1]) * 1024;
                } else if (p[0].equals("MemAvailable:")) {
                    available = Long.parseLong(p[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
        return new long[] {total, available};
    }

    private long[] disk() {
        try {
            FileStore store = Files.getFileStore(diskPath);
            return new long[] {store.getTotalSpace(), store.getUsableSpace()};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    private static Map<String, Long> network() {
        long bytesRecv = 0;
        long packetsRecv = 0;
        long bytesSent = 0;
        long packetsSent = 0;
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/dev"));
            for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
                String[] p = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
                bytesRecv += Long.parseLong(p[0]);
                packetsRecv += Long.parseLong(p[1]);
                bytesSent += Long.parseLong(p[8]);
                packetsSent += Long.parseLong(p[9]);
            }
        } catch (IOException | RuntimeException e) {
            // leave zeros: a host without /proc/net/dev has nothing to report
        }
        Map<String, Long> n = new LinkedHashMap<>();
        n.put("bytes_sent", bytesSent);
        n.put("bytes_recv", bytesRecv);
        n.put("packets_sent", packetsSent);
        n.put("packets_recv", packetsRecv);
        return n;
    }

    private static long hostUptimeSeconds() {
        try {
            return (long) Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        }
    }

    /**
     * The original's uptime style: {@code "2d 3h 4m 5s"}, every unit that is zero left out but the seconds, which are
     * always shown ({@code "1h 0s"} for an hour).
     */
    public static String formatUptime(long seconds) {
        long[] values = {seconds / 86400, seconds % 86400 / 3600, seconds % 3600 / 60};
        String[] units = {"d ", "h ", "m "};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (values[i] > 0) {
                b.append(values[i]).append(units[i]);
            }
        }
        return b.append(seconds % 60).append('s').toString();
    }

    /** {@code "15.5 GB"} style. */
    static String human(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
