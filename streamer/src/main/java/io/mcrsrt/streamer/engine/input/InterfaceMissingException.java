package io.mcrsrt.streamer.engine.input;

import java.io.IOException;

/**
 * An input cannot be opened because an interface it names, or the address it needs on one, is not on this machine:
 * not yet, on a machine that has just booted (DHCP late, a VLAN interface made later, a NIC cabled late), or not at
 * all (a name typed wrong). The message names the interface or address.
 */
public final class InterfaceMissingException extends IOException {
    public InterfaceMissingException(String message) {
        super(message);
    }

    public InterfaceMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
