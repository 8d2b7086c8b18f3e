package io.mcrsrt.srt;

/**
 * Decides, during the handshake, whether a caller may connect to a listener ({@code srt_listen_callback}).
 * Runs on libsrt's receiving thread: return quickly, never block. An exception thrown here rejects the caller
 * (code 1503) and is logged; it never reaches libsrt.
 */
@FunctionalInterface
public interface SrtListenCallback {

    /** The decision for {@code caller}. */
    SrtAdmission admit(SrtCaller caller);
}
