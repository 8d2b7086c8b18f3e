package io.mcrsrt.streamer.stream;

/**
 * Something that happened to a stream's links: a caller connected or was rejected, the link broke, the input was lost.
 *
 * @param timestampMillis epoch milliseconds
 * @param kind            short machine word: {@code connected}, {@code disconnected}, {@code repeated-connections},
 *                        {@code rejected}, {@code broken}, {@code input-lost}, {@code input-resumed},
 *                        {@code input-rejoined}, {@code error}, ...
 * @param detail          human sentence, e.g. {@code "127.0.0.1:40312 rejected: wrong passphrase"}; its control
 *                        characters are escaped ({@link PrintableText}), since part of it may come from a remote caller
 */
public record ConnectionEvent(long timestampMillis, String kind, String detail) {
    public ConnectionEvent {
        detail = PrintableText.escape(detail);
    }
}
