/**
 * Idiomatic Java over libsrt 1.5 through {@code java.lang.foreign}: sockets (caller, listener with a listen callback,
 * rendezvous), typed options, {@code srt://} URLs, statistics, epoll, live datagram streams and a directory file
 * server with its fetch client. Depends on nothing but the JDK. libsrt is a native library: run with
 * {@code --enable-native-access=io.mcrsrt.srt} (or {@code ALL-UNNAMED} on the class path).
 */
module io.mcrsrt.srt {
    exports io.mcrsrt.srt;
}
