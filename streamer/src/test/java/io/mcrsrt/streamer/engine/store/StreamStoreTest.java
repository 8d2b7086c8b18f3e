package io.mcrsrt.streamer.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.streamer.stream.ColorBarFormat;
import io.mcrsrt.streamer.stream.Encryption;
import io.mcrsrt.streamer.stream.InputSpec;
import io.mcrsrt.streamer.stream.Mode;
import io.mcrsrt.streamer.stream.PairConfig;
import io.mcrsrt.streamer.stream.StreamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamStoreTest {
    @TempDir
    Path dir;

    static List<StreamConfig> sample() {
        return List.of(
                new StreamConfig(Mode.LISTENER, new InputSpec.File("news/a.ts", true), 10001, null, null, 300, 2,
                        Encryption.AES_256, "secret-passphrase", true, 30, false, null),
                new StreamConfig(Mode.CALLER, new InputSpec.Multicast("239.1.1.1", 5000, "eth0", "10.0.0.1"), null,
                        "example.net", 9000, 120, 25, Encryption.NONE, null, false, 20, true, "custom"),
                new StreamConfig(Mode.LISTENER, new InputSpec.ColorBars(ColorBarFormat.HD_1080I25), 10002, null,
                        null, 1000, 5, Encryption.AES_128, "0123456789", false, 30, true, null));
    }

    @Test
    void savedStreamsComeBackIdentical() throws Exception {
        StreamStore store = new StreamStore(dir);
        store.save(sample());
        assertThat(new StreamStore(dir).load().streams()).isEqualTo(sample());
    }

    @Test
    void fileIsReadableByOwnerOnlyBecauseItHoldsPassphrases() throws Exception {
        StreamStore store = new StreamStore(dir);
        store.save(sample());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
                .isEqualTo("rw-------");
        assertThat(dir.resolve("streams.json.tmp")).doesNotExist();
    }

    @Test
    void missingFileMeansNoStreams() {
        assertThat(new StreamStore(dir).load().streams()).isEmpty();
    }

    @Test
    void savedPairsComeBackIdentical() throws Exception {
        PairConfig pair = new PairConfig(new InputSpec.ColorBars(ColorBarFormat.HD_720P50), "0123ABCD", 500, 10,
                Encryption.AES_128, "pair-passphrase", true, 30,
                new PairConfig.Leg(Mode.LISTENER, 10003, null, null, "eth0"),
                new PairConfig.Leg(Mode.CALLER, null, "198.51.100.7", 9001, null));
        StreamStore store = new StreamStore(dir);
        store.save(sample(), List.of(pair));
        StreamStore.Saved saved = new StreamStore(dir).load();
        assertThat(saved.streams()).isEqualTo(sample());
        assertThat(saved.pairs()).containsExactly(pair);
        assertThat(saved.unknownFields()).as("every key the service writes is one it knows").isZero();
        assertThat(saved.differsFromFile()).isFalse();
        try (var aside = Files.list(dir)) {
            assertThat(aside.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains(".bad-"));
        }
    }

    @Test
    void aBadEntryIsSetAsideWithItsTextAndTheGoodOnesAreRestored() throws Exception {
        StreamStore store = new StreamStore(dir);
        store.save(sample());
        String good = Files.readString(store.file());
        String withBad = good.replaceFirst("\"streams\" : \\[",
                "\"streams\" : [ {\"mode\": \"sideways\", \"port\": 10009},");
        assertThat(withBad).isNotEqualTo(good);
        Files.writeString(store.file(), withBad);

        StreamStore.Saved saved = new StreamStore(dir).load();

        assertThat(saved.streams()).isEqualTo(sample());
        assertThat(saved.setAside()).isEqualTo(1);
        try (var files = Files.list(dir)) {
            Path aside = files.filter(p -> p.getFileName().toString().startsWith("streams.json.bad-")).findFirst()
                    .orElseThrow();
            assertThat(Files.readString(aside)).contains("\"sideways\"").contains("\"port\": 10009");
        }
    }

    @Test
    void aNumberThatIsTextOrOutOfRangeSetsTheEntryAsideInsteadOfRestoringAnotherStream() throws Exception {
        StreamStore store = new StreamStore(dir);
        store.save(sample());
        String good = Files.readString(store.file());
        String edited = good.replaceFirst("\"latency\" : 300", "\"latency\" : \"abc\"")
                .replaceFirst("\"latency\" : 120", "\"latency\" : 5");
        assertThat(edited).contains("\"abc\"").contains("\"latency\" : 5,");
        Files.writeString(store.file(), edited);

        Loaded loaded = loadWithLog();
        StreamStore.Saved saved = loaded.saved();

        assertThat(saved.streams()).containsExactly(sample().get(2));
        assertThat(saved.setAside()).isEqualTo(2);
        assertThat(loaded.lines())
                .anySatisfy(m -> assertThat(m).startsWith("Saved stream entry streams[0] (port 10001): field"
                        + " \"latency\" is \"abc\" (expected: a whole number from 20 to 8000) in " + store.file()))
                .anySatisfy(m -> assertThat(m).startsWith("Saved stream entry streams[1] (target_port 9000): field"
                        + " \"latency\" is 5 (expected: a whole number from 20 to 8000) in " + store.file()));
    }

    /** What loading the saved file gave, and the lines StreamStore logged meanwhile. */
    private record Loaded(StreamStore.Saved saved, List<String> lines) {
    }

    private Loaded loadWithLog() {
        var log = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(StreamStore.class);
        log.start();
        logger.addAppender(log);
        try {
            StreamStore.Saved saved = new StreamStore(dir).load();
            return new Loaded(saved, log.list.stream().map(e -> e.getFormattedMessage()).toList());
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void truncatedJsonIsMovedAside() throws Exception {
        Files.writeString(dir.resolve("streams.json"), "{\"streams\": [");
        assertThat(new StreamStore(dir).load().streams()).isEmpty();
        assertThat(dir.resolve("streams.json")).doesNotExist();
    }

    @Test
    void anUnknownKeyIsNamedInTheLogAndTheFileAsItWasIsKeptBeforeTheNextSaveLeavesItOut() throws Exception {
        // Before, a mistyped "latnecy" restored the stream with the default latency without a word, and the next save
        // wrote the file without the key and without a copy.
        StreamStore store = new StreamStore(dir);
        store.save(sample());
        String good = Files.readString(store.file());
        String edited = good.replaceFirst("\"latency\" : 300", "\"latnecy\" : 2000")
                .replaceFirst("\"loop\" : true", "\"looop\" : false")
                .replaceFirst("\"passphrase\" : \"0123456789\"", "\"passphrse\" : \"0123456789\"")
                .replaceFirst("\"version\" : 1", "\"version\" : 1, \"note\" : \"edited by hand\"");
        assertThat(edited).contains("latnecy", "looop", "passphrse", "note");
        Files.writeString(store.file(), edited);

        Loaded loaded = loadWithLog();
        StreamStore.Saved saved = loaded.saved();

        // restored as the keys it knows say, the others ignored
        assertThat(saved.streams()).hasSize(3);
        assertThat(saved.streams().getFirst().latencyMs()).isEqualTo(300);
        List<String> lines = loaded.lines();
        assertThat(lines).anySatisfy(m -> assertThat(m).startsWith("Saved streams in " + store.file()
                        + ": streams[0] (port 10001) has key \"latnecy\" (2000), which is not one of [encryption,")
                        .contains("latency").contains("it is ignored"))
                .anySatisfy(m -> assertThat(m).contains("streams[0] (port 10001).input has key \"looop\" (false),"
                        + " which is not one of [file_path, format, input_type, loop,"))
                .anySatisfy(m -> assertThat(m).contains("streams[2] (port 10002) has key \"passphrse\" (string, not"
                        + " shown)"))
                .anySatisfy(m -> assertThat(m).contains("the file has key \"note\" (string, not shown)"))
                .noneSatisfy(m -> assertThat(m).contains("0123456789"));
        try (var files = Files.list(dir)) {
            Path aside = files.filter(p -> p.getFileName().toString().startsWith("streams.json.bad-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no copy of the file as it was: " + lines));
            assertThat(Files.readString(aside)).isEqualTo(edited);
            assertThat(lines).allSatisfy(m -> assertThat(m).contains(aside.toString()));
        }
    }

    @Test
    void pairsThatAreNotAListAreSetAsideWithTheFileRatherThanReadAsNone() throws Exception {
        StreamStore store = new StreamStore(dir);
        store.save(sample());
        String edited = Files.readString(store.file()).replaceFirst("\"pairs\" : \\[ ]",
                "\"pairs\" : {\"ssrc\" : \"ABBACAFE\"}");
        assertThat(edited).contains("ABBACAFE");
        Files.writeString(store.file(), edited);

        StreamStore.Saved saved = new StreamStore(dir).load();

        assertThat(saved.streams()).hasSize(3);
        assertThat(saved.pairs()).isEmpty();
        assertThat(saved.setAside()).as("the pairs value, kept in the copy").isEqualTo(1);
        assertThat(saved.differsFromFile()).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("streams.json.bad-")))
                    .singleElement().satisfies(aside -> assertThat(Files.readString(aside)).isEqualTo(edited));
        }
    }
}
