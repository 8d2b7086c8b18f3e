package io.mcrsrt.ts.scte35;

import io.mcrsrt.ts.TsException;

/** A splice_info_section could not be decoded; the message names the field, its byte offset and what was expected. */
public final class Scte35Exception extends TsException {
    private static final long serialVersionUID = 1L;

    public Scte35Exception(String message) {
        super(message);
    }
}
