import io.mcrsrt.srt.SrtOption;
import io.mcrsrt.srt.SrtSocket;
import io.mcrsrt.srt.SrtTransType;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls a listener over and over with callers it refuses, from THREADS threads for SECONDS, each caller on a new
 * socket closed as soon as its call ends, and prints how many calls were refused. KIND is:
 * <ul>
 *   <li>{@code wrong}: a passphrase the listener does not have (an encrypted listener: "wrong passphrase"),
 *   <li>{@code nopass}: no passphrase (an encrypted listener: "no passphrase"),
 *   <li>{@code sentpass}: a passphrase to a listener without encryption,
 *   <li>{@code cap}: a plain call, for a listener that already serves its MAX_CALLERS_PER_LISTENER (run {@code hold}
 *       that many times first): refused in the handshake, reject code 1402,
 *   <li>{@code filemode}: a file-mode caller to a live listener, refused by libsrt in the handshake before the
 *       service sees it,
 *   <li>{@code hold}: one caller that connects and reads until SECONDS are over, to fill a listener's places.
 * </ul>
 * Used for the refused-caller floods in docs/BENCHMARKS.md.
 *
 * <p>usage: java --enable-native-access=ALL-UNNAMED -cp streamer/target/mcr-srt.jar
 * bench/reliability/RefusedCallerFlood.java PORT KIND THREADS SECONDS (the listener on 127.0.0.1)
 */
public final class RefusedCallerFlood {
    private static final String WRONG_PASSPHRASE = "wrongpassphrase9";

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: RefusedCallerFlood PORT wrong|nopass|sentpass|cap|filemode|hold THREADS SECONDS");
            System.exit(2);
        }
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        String kind = args[1];
        int threads = Integer.parseInt(args[2]);
        long end = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
        if (kind.equals("hold")) {
            try (SrtSocket s = SrtSocket.create()) {
                s.connect(to);
                byte[] buffer = new byte[1500];
                while (System.nanoTime() < end) {
                    s.receive(buffer, 0, buffer.length);
                }
            }
            return;
        }
        AtomicLong connected = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Thread[] callers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            callers[t] = Thread.ofPlatform().name("caller-" + t).start(() -> {
                while (System.nanoTime() < end) {
                    try (SrtSocket s = SrtSocket.create()) {
                        if (kind.equals("filemode")) {
                            s.set(SrtOption.TRANSTYPE, SrtTransType.FILE);
                        }
                        s.set(SrtOption.CONNTIMEO, 1000);
                        if (kind.equals("wrong") || kind.equals("sentpass")) {
                            s.set(SrtOption.PASSPHRASE, WRONG_PASSPHRASE);
                        }
                        s.connect(to);
                        connected.incrementAndGet();
                    } catch (Exception e) {
                        refused.incrementAndGet();
                    }
                }
            });
        }
        for (Thread t : callers) {
            t.join();
        }
        System.out.println(kind + " port " + to.getPort() + ": connected " + connected + ", refused " + refused);
    }
}
