package io.mcrsrt.srt;

import java.util.Objects;

/**
 * SRT socket groups (bonding): one logical connection over several links. Not available in this library: group
 * connections are not wrapped, and {@link #create(Type)} always throws. {@link Srt#bondingSupported()} tells whether
 * the loaded libsrt was built with {@code ENABLE_BONDING}; the Debian 12 libsrt 1.5.1 packages are not.
 */
public final class SrtGroup {

    /** {@code SRT_GROUP_TYPE}. */
    public enum Type {
        /** Every packet over every link; the receiver keeps the first copy. */
        BROADCAST(1),
        /** One active link, the others on standby, switched on failure. */
        BACKUP(2);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    private SrtGroup() {}

    /**
     * Always throws: socket groups are not available in this library. The exception says why, with code
     * {@link SrtException#OPERATION_NOT_SUPPORTED}: the loaded libsrt has no bonding, or (with a bonding build) group
     * connections are not wrapped here.
     *
     * @throws SrtException always, with code {@link SrtException#OPERATION_NOT_SUPPORTED}
     */
    public static SrtSocket create(Type type) throws SrtException {
        Objects.requireNonNull(type, "type must not be null (e.g. SrtGroup.Type.BROADCAST)");
        Srt.ensureLoaded();
        int code = SrtException.OPERATION_NOT_SUPPORTED;
        if (!Srt.bondingSupported()) {
            // srt_create_group of a build without bonding fails without setting an error: the thread's last error
            // would be stale, so the code is set here.
            throw new SrtException("socket groups (bonding) are not supported by this libsrt (" + Srt.libraryName()
                    + " " + Srt.version() + " was built without ENABLE_BONDING), and this library does not wrap group "
                    + "connections either: use single connections. " + NativeLibrary.PATH_VARIABLE + " would not "
                    + "change that where a Debian libsrt package is installed: it is tried only when neither "
                    + NativeLibrary.GNUTLS_SONAME + " nor " + NativeLibrary.OPENSSL_SONAME + " loads",
                    code, SrtException.text(code), -1);
        }
        throw new SrtException("creating a " + type + " socket group: this libsrt supports bonding, but this library "
                + "does not wrap group connections yet: use single connections", code, SrtException.text(code), -1);
    }
}
