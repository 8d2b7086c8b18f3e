package io.mcrsrt.ts.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.ts.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Audio frames walked by their headers: the playing time of elementary streams as ffmpeg writes them. */
class AudioFramesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} at {2} Hz")
    @CsvSource({"aac, adts, 44100, 1024", "aac, adts, 48000, 1024", "mp2, mp2, 48000, 1152", "mp2, mp2, 24000, 1152",
            "libmp3lame, mp3, 44100, 1152", "libmp3lame, mp3, 22050, 576", "ac3, ac3, 48000, 1536",
            "eac3, eac3, 48000, 1536"})
    void theFramesOfAnElementaryStreamPlayAsLongAsTheyHoldSamples(String codec, String format, int rate,
            int samplesPerFrame) throws IOException {
        Path es = dir.resolve("audio." + format);
        // an .mp3 as a transport stream carries it: no ID3 tag before the frames, no Xing header frame
        Fixtures.run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=" + rate, "-t", "1.3", "-c:a", codec, "-id3v2_version", "0",
                "-write_xing", "0", "-f", format, es.toString()), 60);
        String frames = Fixtures.run(List.of("ffprobe", "-v", "error", "-count_packets", "-select_streams", "a:0",
                "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", es.toString()), 60).strip();
        byte[] b = Files.readAllBytes(es);
        long expected = Math.round(Long.parseLong(frames) * samplesPerFrame * 90_000.0 / rate);
        assertThat(AudioFrames.duration90k(b, 0, b.length)).isEqualTo(expected);
    }

    @Test
    void bytesThatAreNoAudioFramesHaveNoDuration() {
        byte[] video = {0, 0, 0, 1, 0x67, 0x42, 0, 0x1F, 0, 0, 0, 1, 0x68};
        assertThat(AudioFrames.duration90k(video, 0, video.length)).isEqualTo(-1);
        assertThat(AudioFrames.duration90k(new byte[3], 0, 3)).isEqualTo(-1);
    }
}
