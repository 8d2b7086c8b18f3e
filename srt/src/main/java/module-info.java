/**
 * Idiomatic Java over libsrt 1.5 through {@code java.lang.foreign}: sockets (caller, listener with a listen callback,
 * rendezvous), typed options, {@code srt://} URLs, statistics, epoll, live datagram streams and a directory file
 * server with its fetch client. Depends on nothing but the JDK. libsrt is a native library: run with
 * {@code --enable-native-access=io.mcrsrt.srt} (or {@code ALL-UNNAMED} on the class path).
 *
 * <p>No method takes null for an argument unless its documentation says what null means: a null argument throws a
 * {@link java.lang.NullPointerException} naming the parameter, before the call does anything.
 */
module io.mcrsrt.srt {
    exports io.mcrsrt.srt;
}
