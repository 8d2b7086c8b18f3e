package io.mcrsrt.streamer.cli;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Ctrl-C (SIGINT) and SIGTERM for the command line. A command that runs until it is stopped says what stopping means
 * for it ({@link #onStop}: close a server, end a loop, interrupt a transfer); a signal then only asks it to stop, and
 * the command cleans up and returns its own exit status, which {@link Main} exits with.
 *
 * <p>Why signal handlers rather than shutdown hooks: on these signals the JVM's own handler starts the shutdown at
 * once and ends the process with 128 + the signal's number (130, 143) whatever the command returns, so a command that
 * stopped cleanly could not exit 0 as its help says. A hook could only force its status with {@code Runtime.halt},
 * which cuts short the other hooks (libsrt's cleanup) and output not yet written. Handled here, the JVM keeps running
 * while the command stops, and exits the ordinary way.
 *
 * <p>A signal that finds no command to stop (a command still checking its arguments, one that runs for a set time such
 * as {@code analyze}, or {@code serve}, which stops in its shutdown hook) and a second signal while the first is being
 * handled do what the JVM would have done: exit with 128 + the signal's number, running the shutdown hooks. A signal
 * that was ignored when the process started (a job started in the background by a shell, {@code nohup}) stays
 * ignored, as the JVM leaves it.
 */
public final class StopSignals {
    /** The signals that stop a command: Ctrl-C, and {@code kill} or {@code systemctl stop}. */
    private static final List<String> NAMES = List.of("INT", "TERM");

    private static final Set<Registration> REGISTERED = ConcurrentHashMap.newKeySet();

    private StopSignals() {
    }

    /** A signal that stopped a command. */
    public record Received(String name, int number) {
        /** The exit status a shell gives a process ended by this signal: 130 for SIGINT, 143 for SIGTERM. */
        public int exitStatus() {
            return 128 + number;
        }
    }

    /**
     * Installs the handlers. Only {@link Main#main} calls this: commands run in-process (tests) leave the signals to
     * the JVM that runs them.
     */
    static void install() {
        for (String name : NAMES) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), StopSignals::handle);
            } catch (IllegalArgumentException reserved) {
                // -Xrs: the JVM may not handle this signal, and the default (the process ends) stays
            }
        }
    }

    /**
     * Runs {@code stop} on the signal's own thread when SIGINT or SIGTERM arrives while the registration is open. It
     * must return quickly (count down a latch, close a socket, interrupt a thread); the command's own thread does the
     * rest and returns the exit status. Close the registration once the command is done, in a finally block or with
     * try-with-resources.
     */
    public static Registration onStop(Consumer<Received> stop) {
        Registration r = new Registration(stop);
        REGISTERED.add(r);
        return r;
    }

    private static void handle(sun.misc.Signal signal) {
        Received received = new Received("SIG" + signal.getName(), signal.getNumber());
        List<Registration> open = List.copyOf(REGISTERED);
        if (open.isEmpty() || open.stream().anyMatch(r -> r.received != null)) {
            // Nothing to stop gracefully, or a second Ctrl-C while stopping: what the JVM does by default.
            System.exit(received.exitStatus());
            return;
        }
        for (Registration r : open) {
            r.received = received;
            r.stop.accept(received);
        }
    }

    /** An open request to be told of a stop signal; closing it withdraws the request. */
    public static final class Registration implements AutoCloseable {
        private final Consumer<Received> stop;
        private volatile Received received;

        private Registration(Consumer<Received> stop) {
            this.stop = stop;
        }

        /** The signal that stopped the command, if one did. */
        public Optional<Received> received() {
            return Optional.ofNullable(received);
        }

        @Override
        public void close() {
            REGISTERED.remove(this);
        }
    }
}
