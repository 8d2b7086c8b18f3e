package io.mcrsrt.streamer.nettest;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * Raises the calling thread's scheduling weight (Linux nice value, per thread, inherited by the threads it creates:
 * senders, receivers, the emulator's and libsrt's own). An emulated WAN path must keep its delay while other builds
 * load the machine; a real path is not starved by the other tenants of a test box. Best effort: without the right to
 * lower the nice value nothing changes.
 */
final class ThreadNiceness {

    private static final int PRIO_PROCESS = 0;

    private ThreadNiceness() {
    }

    /** What a boosted run returned. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code work} on a new platform thread at nice -10 (when allowed), so that everything it starts inherits
     * the weight and the caller's own thread keeps its nice value.
     */
    static <T> T runBoosted(String name, Work<T> work) throws Exception {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        Thread t = Thread.ofPlatform().name(name).start(() -> {
            raiseCallingThread(-10);
            try {
                result.complete(work.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        } finally {
            t.join(5000);
        }
    }

    /** @return true when the calling thread now runs at {@code nice} */
    static boolean raiseCallingThread(int nice) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle setpriority = linker.downcallHandle(
                    linker.defaultLookup().find("setpriority").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
            // On Linux PRIO_PROCESS with who = 0 is the calling thread alone.
            return (int) setpriority.invokeExact(PRIO_PROCESS, 0, nice) == 0;
        } catch (Throwable e) {
            return false;
        }
    }
}
