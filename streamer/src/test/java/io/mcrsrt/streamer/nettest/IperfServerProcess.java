package io.mcrsrt.streamer.nettest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A real {@code iperf3 -s} on loopback, on a port free for both TCP and UDP, for tests. */
final class IperfServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    IperfServerProcess() throws IOException {
        this.port = freeTcpAndUdpPort();
        this.process = new ProcessBuilder("iperf3", "-s", "--forceflush", "-B", "127.0.0.1", "-p",
                Integer.toString(port)).redirectErrorStream(true).start();
        CompletableFuture<Void> listening = new CompletableFuture<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofVirtual().name("iperf3-server-output").start(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("Server listening")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            listening.completeExceptionally(new IOException("iperf3 -s ended"));
        });
        try {
            listening.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IOException("iperf3 -s did not start listening on port " + port + ": " + e, e);
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freeTcpAndUdpPort() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, lo)) {
                int p = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(lo, p))) {
                    return p;
                } catch (IOException udpTaken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both TCP and UDP on loopback");
    }
}
