package io.mcrsrt.srt;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * A libsrt call failed. Carries libsrt's error code ({@code SRT_ERRNO}, e.g. 1002 connection rejected, 2001
 * connection lost, 5003 invalid parameter), its text, and for connection set-up failures the reject reason.
 */
public final class SrtException extends IOException {

    /** {@code SRT_ECONNSETUP}: connection set-up failed. */
    public static final int CONNECTION_SETUP_FAILED = 1000;
    /** {@code SRT_ENOSERVER}: no answer from the peer. */
    public static final int NO_SERVER = 1001;
    /** {@code SRT_ECONNREJ}: the connection was rejected. */
    public static final int CONNECTION_REJECTED = 1002;
    /** {@code SRT_ECONNLOST}: the connection was lost (or closed by the peer). */
    public static final int CONNECTION_LOST = 2001;
    /** {@code SRT_ENOCONN}: the socket is not connected. */
    public static final int NOT_CONNECTED = 2002;
    /** {@code SRT_EINVSOCK}: the socket does not exist (already closed). */
    public static final int INVALID_SOCKET = 5004;
    /** {@code SRT_EINVOP}: operation not supported by this libsrt or in this state. */
    public static final int OPERATION_NOT_SUPPORTED = 5000;
    /**
     * {@code SRT_EBINDCONFLICT}: another libsrt socket of this process holds the port with settings that cannot share
     * it (buffer sizes, IPTOS, the bound address). A closed socket keeps its port until libsrt's collector frees it,
     * a few seconds later, so binding the port again at once with other settings fails with this code.
     */
    public static final int BIND_CONFLICT = 5015;

    private static final long serialVersionUID = 1L;

    private final int code;
    private final String libsrtText;
    private final transient SrtRejectReason rejectReason;
    private final int rejectCode;

    SrtException(String message, int code, String libsrtText, int rejectCode) {
        super(message);
        this.code = code;
        this.libsrtText = libsrtText;
        this.rejectCode = rejectCode;
        this.rejectReason = rejectCode < 0 ? null : SrtRejectReason.of(rejectCode);
    }

    /** libsrt's error code ({@code srt_getlasterror}), or 0 when the error was detected before calling libsrt. */
    public int code() {
        return code;
    }

    /** libsrt's own text for the error. */
    public String libsrtText() {
        return libsrtText;
    }

    /** Why the connection was refused, when this error ended a connection attempt. */
    public Optional<SrtRejectReason> rejectReason() {
        return Optional.ofNullable(rejectReason);
    }

    /**
     * The reject code ({@code srt_getrejectreason}, a wrong passphrase reported as 10 also where libsrt says 11: see
     * {@link SrtSocket#rejectReason()}), or -1 when this error is not a connection failure.
     */
    public int rejectCode() {
        return rejectCode;
    }

    /** True when the peer went away or the socket was closed: the end of a stream rather than a fault. */
    public boolean isConnectionGone() {
        return code == CONNECTION_LOST || code == NOT_CONNECTED || code == INVALID_SOCKET || code == 1005;
    }

    /** The error libsrt recorded for this thread after a failed call; read it right after the call. */
    static SrtException last(String action) {
        int code = LibSrt.getlasterror(MemorySegment.NULL);
        return new SrtException(action + ": " + text(code), code, text(code), -1);
    }

    /** A failed connection attempt of {@code socket}, with the reject reason recorded for it. */
    static SrtException connectFailed(String action, SrtSocket socket) {
        return connectFailed(action, socket, LibSrt.getlasterror(MemorySegment.NULL));
    }

    /** A connection attempt of {@code socket} that ended with error {@code code}, with its reject reason. */
    static SrtException connectFailed(String action, SrtSocket socket, int code) {
        int reject = socket.rejectCode();
        String detail = SrtRejectReason.describe(reject);
        return new SrtException(action + ": " + detail + " [" + text(code) + "]", code, text(code), reject);
    }

    static String text(int code) {
        MemorySegment s = LibSrt.strerror(code, 0);
        return s.equals(MemorySegment.NULL) ? "error " + code : s.reinterpret(1024).getString(0) + " (" + code + ")";
    }
}
