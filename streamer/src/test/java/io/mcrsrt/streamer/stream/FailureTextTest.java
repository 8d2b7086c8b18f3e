package io.mcrsrt.streamer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class FailureTextTest {

    @Test
    void anExpectedFailureShowsItsMessageAlone() {
        assertThat(FailureText.describe(new IOException("No space left on device")))
                .isEqualTo("No space left on device");
    }

    @Test
    void aFileExceptionThatCarriesOnlyThePathSaysWhatIsWrongWithIt() {
        assertThat(FailureText.describe(new java.nio.file.NoSuchFileException("/data/servers.json")))
                .isEqualTo("/data/servers.json: no such file or directory");
        assertThat(FailureText.describe(new java.nio.file.AccessDeniedException("/data/servers.json")))
                .isEqualTo("/data/servers.json: permission denied");
        assertThat(FailureText.describe(new java.nio.file.FileSystemException("/data", null, "Read-only file system")))
                .isEqualTo("/data: Read-only file system");
    }

    @Test
    void anErrorShowsItsKindBeforeItsMessage() {
        assertThat(FailureText.describe(new OutOfMemoryError("Direct buffer memory")))
                .isEqualTo("OutOfMemoryError: Direct buffer memory");
    }

    @Test
    void anUnexpectedFailureAlwaysShowsItsKind() {
        assertThat(FailureText.describeUnexpected(new IllegalStateException("closed")))
                .isEqualTo("IllegalStateException: closed");
        assertThat(FailureText.describeUnexpected(new UnsatisfiedLinkError("libsrt.so.1.5: cannot open")))
                .isEqualTo("UnsatisfiedLinkError: libsrt.so.1.5: cannot open");
    }

    @Test
    void aNullMessageShowsTheKindWithoutItsPackage() {
        assertThat(FailureText.describe(new NullPointerException((String) null))).isEqualTo("NullPointerException");
        assertThat(FailureText.describeUnexpected(new NullPointerException((String) null)))
                .isEqualTo("NullPointerException");
    }

    @Test
    void aNullMessageNamesTheCauseInsteadOfDroppingIt() {
        RuntimeException wrapper = new RuntimeException(null, new IOException("Connection reset"));
        assertThat(FailureText.describe(wrapper))
                .isEqualTo("RuntimeException, caused by IOException: Connection reset");
        assertThat(FailureText.describeUnexpected(wrapper))
                .isEqualTo("RuntimeException, caused by IOException: Connection reset");
        assertThat(FailureText.describe(new ExceptionInInitializerError(new IllegalArgumentException("bad"))))
                .isEqualTo("ExceptionInInitializerError, caused by IllegalArgumentException: bad");
    }

    @Test
    void aWrapperMadeFromItsCauseAloneIsDescribedByTheNestedCause() {
        // new X(cause) sets the message to cause.toString(), "java.io.IOException: ...": no package names for users.
        UncheckedIOException wrapper = new UncheckedIOException(new IOException("No space left on device"));
        assertThat(FailureText.describe(new IllegalStateException(wrapper))).isEqualTo("No space left on device");
        assertThat(FailureText.describeUnexpected(new IllegalStateException(wrapper)))
                .isEqualTo("IllegalStateException: UncheckedIOException: IOException: No space left on device");
    }

    @Test
    void aWrapperWithItsOwnMessageKeepsIt() {
        assertThat(FailureText.describe(new IOException("cannot write streams.json", new IOException("disk full"))))
                .isEqualTo("cannot write streams.json");
    }

    @Test
    void aLoopingCauseChainEnds() {
        IllegalStateException a = new IllegalStateException((String) null);
        IllegalStateException b = new IllegalStateException(null, a);
        a.initCause(b);
        assertThat(FailureText.describe(a)).startsWith("IllegalStateException, caused by IllegalStateException");
    }
}
