package io.mcrsrt.srt;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reference parameter of the public API that must not be null is refused at entry with a
 * NullPointerException naming it: not a bare "null", nor a failure further on (a callback installed as null, a
 * server that fails once started).
 */
class NullArgumentTest {

    /** A caller URL nothing listens on: a call that wrongly went ahead would fail to connect, not hang. */
    private static final String CALLER = "srt://127.0.0.1:25999";
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 25999);

    @TempDir
    static Path dir;

    /** One call with one null argument, on a fresh socket and epoll set. */
    @FunctionalInterface
    interface Call {
        void call(SrtSocket socket, SrtEpoll epoll) throws Exception;
    }

    static Stream<Arguments> calls() {
        SrtUrl caller = SrtUrl.parse(CALLER);
        SrtUrl listener = SrtUrl.parse("srt://:25999");
        Path file = dir.resolve("a.ts");
        return Stream.of(
                call("SrtSocket.set(null, 120)", "option", (s, e) -> s.set(null, 120)),
                call("SrtSocket.set(LATENCY, null)", "value", (s, e) -> s.set(SrtOption.LATENCY, null)),
                call("SrtSocket.get(null)", "option", (s, e) -> s.get(null)),
                call("SrtSocket.workerTimerSlack(null)", "slack", (s, e) -> s.workerTimerSlack(null)),
                call("SrtSocket.bind(null)", "local", (s, e) -> s.bind(null)),
                call("SrtSocket.bindListener(null)", "local", (s, e) -> s.bindListener(null)),
                call("SrtSocket.connect(null)", "remote", (s, e) -> s.connect(null)),
                call("SrtSocket.dial(null)", "remote", (s, e) -> s.dial(null)),
                call("SrtSocket.rendezvous(null, remote)", "local", (s, e) -> s.rendezvous(null, LOOPBACK)),
                call("SrtSocket.rendezvous(local, null)", "remote", (s, e) -> s.rendezvous(LOOPBACK, null)),
                call("SrtSocket.listenCallback(null)", "callback", (s, e) -> s.listenCallback(null)),
                call("SrtSocket.send((MemorySegment) null)", "message", (s, e) -> s.send((MemorySegment) null)),
                call("SrtSocket.send((byte[]) null, 0, 0)", "message", (s, e) -> s.send((byte[]) null, 0, 0)),
                call("SrtSocket.send((ByteBuffer) null)", "message", (s, e) -> s.send((ByteBuffer) null)),
                call("SrtSocket.receive((MemorySegment) null)", "buffer", (s, e) -> s.receive((MemorySegment) null)),
                call("SrtSocket.receive((byte[]) null, 0, 0)", "buffer", (s, e) -> s.receive((byte[]) null, 0, 0)),
                call("SrtSocket.receive((ByteBuffer) null)", "buffer", (s, e) -> s.receive((ByteBuffer) null)),
                call("SrtSocket.drain(null)", "timeout", (s, e) -> s.drain(null)),
                call("SrtEpoll.add(null, IN)", "socket", (s, e) -> e.add(null, SrtEpoll.IN)),
                call("SrtEpoll.update(null, IN)", "socket", (s, e) -> e.update(null, SrtEpoll.IN)),
                call("SrtEpoll.remove(null)", "socket", (s, e) -> e.remove(null)),
                call("SrtUrl.parse(null)", "url", (s, e) -> SrtUrl.parse(null)),
                call("SrtUrl.takeOut(null, key)", "url", (s, e) -> SrtUrl.takeOut(null, "latency")),
                call("SrtUrl.takeOut(url, null)", "key", (s, e) -> SrtUrl.takeOut(CALLER, null)),
                call("SrtUrl.queryKeys(null)", "url", (s, e) -> SrtUrl.queryKeys(null)),
                call("SrtUrl.parameter(null)", "key", (s, e) -> caller.parameter(null)),
                call("SrtUrl.with(null, value)", "key", (s, e) -> caller.with(null, "200")),
                call("SrtUrl.with(key, null)", "value", (s, e) -> caller.with("latency", null)),
                call("SrtUrl.configure(null)", "socket", (s, e) -> caller.configure(null)),
                call("SrtOption.byName(null)", "name", (s, e) -> SrtOption.byName(null)),
                call("SrtFileServer.start(null, url)", "directory", (s, e) -> SrtFileServer.start(null, listener)),
                call("SrtFileServer.start(dir, null)", "url", (s, e) -> SrtFileServer.start(dir, (SrtUrl) null)),
                call("SrtFileServer.start(null, port)", "directory", (s, e) -> SrtFileServer.start(null, 0)),
                call("SrtFileClient.fetch(null, ...)", "url",
                        (s, e) -> SrtFileClient.fetch(null, "a.ts", file, SrtFileClient.Progress.NONE)),
                call("SrtFileClient.fetch(url, null, ...)", "remoteName",
                        (s, e) -> SrtFileClient.fetch(caller, null, file, SrtFileClient.Progress.NONE)),
                call("SrtFileClient.fetch(url, name, null, ...)", "localPath",
                        (s, e) -> SrtFileClient.fetch(caller, "a.ts", null, SrtFileClient.Progress.NONE)),
                call("SrtFileClient.fetch(url, name, path, null)", "progress",
                        (s, e) -> SrtFileClient.fetch(caller, "a.ts", file, null)),
                call("Srt.datagrams(null)", "url", (s, e) -> Srt.datagrams(null)),
                call("Srt.datagrams(null, true)", "url", (s, e) -> Srt.datagrams(null, true)),
                call("Srt.datagrams(url, false, null)", "onConnect", (s, e) -> Srt.datagrams(CALLER, false, null)),
                call("Srt.fetch(null, name, path)", "url", (s, e) -> Srt.fetch(null, "a.ts", file)),
                call("Srt.fetch(url, null, path)", "remoteName", (s, e) -> Srt.fetch(CALLER, null, file)),
                call("Srt.fetch(url, name, null)", "localPath", (s, e) -> Srt.fetch(CALLER, "a.ts", null)),
                call("AddressText.of((InetAddress) null)", "address", (s, e) -> AddressText.of((InetAddress) null)),
                call("AddressText.of((InetSocketAddress) null)", "address",
                        (s, e) -> AddressText.of((InetSocketAddress) null)),
                call("AddressText.zoneDecoded(null)", "host", (s, e) -> AddressText.zoneDecoded(null)),
                call("AddressText.zoneProblem(null)", "host", (s, e) -> AddressText.zoneProblem(null)),
                call("AddressText.mappedIpv4(null)", "host", (s, e) -> AddressText.mappedIpv4(null)),
                call("AddressText.literal(null)", "text", (s, e) -> AddressText.literal(null)),
                call("AddressText.unbracketed(null)", "text", (s, e) -> AddressText.unbracketed(null)),
                call("SrtGroup.create(null)", "type", (s, e) -> SrtGroup.create(null)),
                call("new SrtCaller(null, streamId, 5, -1)", "address", (s, e) -> new SrtCaller(null, "", 5, -1)),
                call("new SrtCaller(address, null, 5, -1)", "streamId", (s, e) -> new SrtCaller(LOOPBACK, null, 5, -1)),
                call("new SrtCaller(null, streamId, 5)", "address", (s, e) -> new SrtCaller(null, "", 5)),
                call("new SrtUrl.TakenOut(null, value)", "rest", (s, e) -> new SrtUrl.TakenOut(null, "25")));
    }

    private static Arguments call(String shown, String parameter, Call call) {
        return Arguments.of(Named.of(shown, call), parameter);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void aNullArgumentIsRefusedAtEntryNamingTheParameter(Call call, String parameter) throws Exception {
        try (SrtSocket socket = SrtSocket.create(); SrtEpoll epoll = SrtEpoll.create(1)) {
            assertThatThrownBy(() -> call.call(socket, epoll))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageStartingWith(parameter + " must not be null");
        }
    }
}
