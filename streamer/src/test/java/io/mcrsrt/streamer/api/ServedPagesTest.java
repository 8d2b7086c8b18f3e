package io.mcrsrt.streamer.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pages as served carry this service's settings where they show them: the listener port range of the forms. */
class ServedPagesTest {
    @TempDir
    Path root;

    @Test
    void theFormsOfferAPortInThisServicesListenerRange() throws Exception {
        try (TestService svc = new TestService(root, new FakeEngine(), 20001, 20010, null, null)) {
            String dashboard = svc.get("/").body();
            assertThat(dashboard).doesNotContain("{{")
                    .contains("id=\"port\" name=\"port\" value=\"20001\"")
                    .contains("(20001–20010 on this service)");
            String pair = svc.get("/smpte2022_7").body();
            assertThat(pair).doesNotContain("{{")
                    .contains("id=\"leg1_port\" name=\"leg1_port\" value=\"20001\"")
                    .contains("id=\"leg2_port\" name=\"leg2_port\" value=\"20003\"");
        }
    }
}
