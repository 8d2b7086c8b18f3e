package io.mcrsrt.ts.rtp;

import io.mcrsrt.ts.TsException;

/** An RTP datagram or setting did not follow RFC 3550 / RFC 2250. */
public final class RtpException extends TsException {
    private static final long serialVersionUID = 1L;

    public RtpException(String message) {
        super(message);
    }
}
