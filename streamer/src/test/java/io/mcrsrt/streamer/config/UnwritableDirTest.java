package io.mcrsrt.streamer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class UnwritableDirTest {

    @Test
    void theFixSaysWhatToDoForTheReasonGiven() {
        assertThat(UnwritableDir.fix("DATA_DIR", new FileSystemException("/srv/data/serve.lock", null,
                "Read-only file system"))).isEqualTo("DATA_DIR is on a read-only file system: remount it read-write,"
                        + " or point DATA_DIR at a directory on a writable one.");
        assertThat(UnwritableDir.fix("LOG_DIR", new AccessDeniedException("/var/log/mcr")))
                .isEqualTo("The service user may not write there: give LOG_DIR to that user (chown), or point LOG_DIR"
                        + " at a directory it owns.");
        assertThat(UnwritableDir.fix("DATA_DIR", new IOException("No space left on device")))
                .isEqualTo("Point DATA_DIR at a directory the service user may write.");
    }
}
