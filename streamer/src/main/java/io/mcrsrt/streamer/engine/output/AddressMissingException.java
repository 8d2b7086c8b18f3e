package io.mcrsrt.streamer.engine.output;

import java.io.IOException;

/**
 * An output cannot bind where it is asked to because the interface it names, or the address it binds, is not on this
 * machine now: a NIC that flaps, a DHCP lease run out, a machine that has just booted (a VLAN interface made later, a
 * NIC cabled late). It may be there in a moment, unchanged; the message names the interface or address. An address
 * that can never be this machine's (a multicast one, a name no interface can have) is refused otherwise
 * ({@link Outputs#neverLocal}).
 */
public final class AddressMissingException extends IOException {
    private static final long serialVersionUID = 1L;

    public AddressMissingException(String message) {
        super(message);
    }

    public AddressMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
