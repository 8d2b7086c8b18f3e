package io.mcrsrt.srt;

/**
 * A listener's answer to a caller: accept, or reject with a code the caller sees as its reject reason.
 *
 * @param accepted whether the caller may connect
 * @param rejectCode the code the caller reads from {@code srt_getrejectreason} when rejected: 1000 + an HTTP-like
 *     status for standard answers (1403 forbidden, 1404 not found, 1503 unavailable) or 2000 and above for
 *     application codes; ignored when accepted
 */
public record SrtAdmission(boolean accepted, int rejectCode) {

    /** Standard code "overloaded": the listener already serves as many callers as it takes. */
    public static final int OVERLOADED = 1402;
    /** Standard code "forbidden": the caller is not allowed (wrong stream id or address). */
    public static final int FORBIDDEN = 1403;
    /** Standard code "not found": no such stream. */
    public static final int NOT_FOUND = 1404;
    /** Standard code "unavailable": the server is busy or full. */
    public static final int UNAVAILABLE = 1503;

    private static final SrtAdmission ACCEPT = new SrtAdmission(true, 0);

    public SrtAdmission {
        if (!accepted && rejectCode < 1000) {
            throw new IllegalArgumentException("reject code " + rejectCode
                    + " is reserved for libsrt (expected: 1000-1999 for standard answers, 2000 and above for the application)");
        }
    }

    /** Let the caller in. */
    public static SrtAdmission accept() {
        return ACCEPT;
    }

    /** Refuse the caller as forbidden (code 1403). */
    public static SrtAdmission reject() {
        return new SrtAdmission(false, FORBIDDEN);
    }

    /** Refuse the caller with {@code code} (1000-1999 standard, 2000 and above application-defined). */
    public static SrtAdmission reject(int code) {
        return new SrtAdmission(false, code);
    }
}
