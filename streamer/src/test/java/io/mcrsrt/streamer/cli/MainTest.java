package io.mcrsrt.streamer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void virtualThreadsGetOneCoreUnlessTheOperatorChoseOtherwise() {
        Properties unset = new Properties();
        Main.shareOneCoreForVirtualThreads(unset);
        assertThat(unset.getProperty(Main.VIRTUAL_THREAD_PARALLELISM)).isEqualTo("1");

        Properties chosen = new Properties();
        chosen.setProperty(Main.VIRTUAL_THREAD_PARALLELISM, "4");
        Main.shareOneCoreForVirtualThreads(chosen);
        assertThat(chosen.getProperty(Main.VIRTUAL_THREAD_PARALLELISM)).isEqualTo("4");
    }
}
