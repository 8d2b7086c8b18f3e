package io.mcrsrt.srt;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.Optional;

/**
 * The Linux timer slack of the calling thread ({@code prctl(PR_SET_TIMERSLACK)}): how far past a timed wait's end the
 * kernel may wake the thread so that it can wake several threads at once. Threads inherit it from the thread that
 * creates them, which is how {@link SrtSocket#workerTimerSlack(Duration)} reaches libsrt's own threads. On systems
 * without {@code prctl} every call is a no-op.
 */
final class ThreadTimerSlack {
    private static final int PR_SET_TIMERSLACK = 29;
    private static final int PR_GET_TIMERSLACK = 30;

    private static final MethodHandle PRCTL = find();

    private ThreadTimerSlack() {}

    private static MethodHandle find() {
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find("prctl")
                .map(symbol -> linker.downcallHandle(symbol, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG),
                        Linker.Option.firstVariadicArg(1)))
                .orElse(null);
    }

    /** Whether this system can set a thread's timer slack. */
    static boolean supported() {
        return PRCTL != null && System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }

    /** The calling thread's timer slack in nanoseconds, if the system has one. */
    static Optional<Long> current() {
        if (!supported()) {
            return Optional.empty();
        }
        int nanos = prctl(PR_GET_TIMERSLACK, 0);
        return nanos < 0 ? Optional.empty() : Optional.of((long) nanos);
    }

    /**
     * Sets the calling thread's timer slack.
     *
     * @param nanos at least 1 (0 would mean "the thread's default" to Linux, which is not what a caller asks for)
     * @return whether it was set
     */
    static boolean set(long nanos) {
        if (nanos < 1) {
            throw new IllegalArgumentException("timer slack " + nanos + " ns is not positive");
        }
        return supported() && prctl(PR_SET_TIMERSLACK, nanos) == 0;
    }

    private static int prctl(int option, long argument) {
        try {
            return (int) PRCTL.invokeExact(option, argument);
        } catch (Throwable t) {
            throw new IllegalStateException("prctl(" + option + ") failed", t);
        }
    }

    /** Runs {@code call} with the calling thread's timer slack set to {@code slack}, then restores it. */
    static <T> T during(Duration slack, SrtCall<T> call) throws SrtException {
        Optional<Long> before = slack == null ? Optional.empty() : current();
        if (before.isEmpty()) {
            return call.run();
        }
        set(slack.toNanos());
        try {
            return call.run();
        } finally {
            set(before.get());
        }
    }

    /** A libsrt call that may throw. */
    @FunctionalInterface
    interface SrtCall<T> {
        T run() throws SrtException;
    }
}
