package io.mcrsrt.srt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that uses the library ends when its main thread does, even with a listener left open and a daemon thread
 * still waiting on it for a caller: libsrt's own cleanup at process exit waited for that thread for ever.
 */
class ProcessExitTest {
    @TempDir
    Path work;

    /** The program: a listener stream read on a daemon thread, never closed; main returns once it waits. */
    public static final class LeavesAListenerAccepting {
        public static void main(String[] args) throws Exception {
            Thread reader = new Thread(() -> {
                try (var datagrams = Srt.datagrams("srt://127.0.0.1:" + args[0] + "?mode=listener")) {
                    datagrams.forEach(d -> { });
                } catch (Exception e) {
                    // the process is ending: the wait for a caller was cut short, as it has to be
                }
            });
            reader.setDaemon(true);
            reader.start();
            // until libsrt reports the listener: the reader then waits in accept, or is about to
            while (SrtSocket.openAtExit() == 0) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
            System.out.println("main returns");
        }
    }

    @Test
    void aProgramLeavingAListenerAcceptingOnADaemonThreadEnds() throws Exception {
        String classPath = String.join(File.pathSeparator, location(Srt.class), location(getClass()));
        Path out = work.resolve("out.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, LeavesAListenerAccepting.class.getName(),
                Integer.toString(Peers.freeUdpPort()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            // a hang detector, not a timing: the program ends about three seconds after its main thread
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            assertThat(ended).as("the program ended; it printed: %s", Files.readString(out)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(Files.readString(out)).contains("main returns");
        } finally {
            p.destroyForcibly();
        }
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
