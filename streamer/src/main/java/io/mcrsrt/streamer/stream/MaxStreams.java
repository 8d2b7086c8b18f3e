package io.mcrsrt.streamer.stream;

/**
 * The {@code MAX_STREAMS} rule, and the one message that refuses one stream or pair too many, whichever path asks: a
 * request to the API, or a saved stream restored after the limit was lowered.
 */
public final class MaxStreams {

    private MaxStreams() {
    }

    /**
     * Refuses one more stream or pair when {@code max} are listed already; a pair counts as one. A listed stream that is
     * not running (Start Error, Ended) keeps its place until it is stopped: it may start again by itself.
     *
     * @param max        {@code MAX_STREAMS}
     * @param listed     streams and pairs listed now
     * @param notRunning how many of the listed streams are not running
     * @throws StreamException {@link StreamException.Reason#LIMIT} when there is no room, in the words the API has always
     *                         answered with: {@code The maximum of N streams is reached (MAX_STREAMS=N). Stop a stream
     *                         first, or raise MAX_STREAMS and restart the service.}
     */
    public static void checkRoomForOneMore(int max, int listed, long notRunning) throws StreamException {
        if (listed >= max) {
            // how many are listed, when that is not simply the maximum (a lowered MAX_STREAMS, streams not running)
            String listing = listed == max && notRunning == 0 ? "" : ": " + listed + " listed" + (notRunning == 0 ? ""
                    : ", " + notRunning + " of them not running (Start Error, Ended...) but listed until stopped");
            throw new StreamException(StreamException.Reason.LIMIT, "The maximum of " + max + " streams is reached"
                    + " (MAX_STREAMS=" + max + ")" + listing
                    + ". Stop a stream first, or raise MAX_STREAMS and restart the service.");
        }
    }
}
