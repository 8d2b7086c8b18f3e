package io.mcrsrt.srt;

/**
 * SRT socket groups (bonding): one logical connection over several links. Available only when libsrt was built with
 * {@code ENABLE_BONDING}; check {@link Srt#bondingSupported()}. The Debian 12 libsrt 1.5.1 packages are built without
 * it, and {@link #create(Type)} then fails with a clear "not supported by this libsrt" error.
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
     * Creates a socket group of {@code type}, returned as a socket that sends and receives for the whole group.
     *
     * @throws SrtException "not supported by this libsrt" when libsrt was built without bonding
     */
    public static SrtSocket create(Type type) throws SrtException {
        Srt.ensureLoaded();
        int id = LibSrt.createGroup(type.code());
        if (id < 0) {
            int code = LibSrt.getlasterror(java.lang.foreign.MemorySegment.NULL);
            if (!Srt.bondingSupported()) {
                throw new SrtException("socket groups (bonding) are not supported by this libsrt ("
                        + Srt.libraryName() + " " + Srt.version() + " was built without ENABLE_BONDING): use single "
                        + "connections, or install a libsrt built with -DENABLE_BONDING=ON and point SRT_LIBRARY at it",
                        code, SrtException.text(code), -1);
            }
            throw new SrtException("creating a " + type + " socket group: " + SrtException.text(code), code,
                    SrtException.text(code), -1);
        }
        LibSrt.close(id);
        throw new SrtException("this libsrt supports bonding, but group connections are not implemented here yet",
                SrtException.OPERATION_NOT_SUPPORTED, "", -1);
    }
}
