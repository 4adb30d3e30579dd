package io.pqbridge.pq.wire;

/**
 * libpq's connection error buffer ({@code conn->errorMessage} with {@code errorReported}): texts
 * are appended, never replaced, until a new query cycle or a successful connect clears them; an
 * error result made by the client reports the text appended since the last reported one.
 */
final class ErrorText {

    private final StringBuilder text = new StringBuilder();
    private int reported;

    void append(String message) {
        text.append(message);
    }

    /** {@code pqClearConnErrorState}. */
    void clear() {
        text.setLength(0);
        reported = 0;
    }

    /** The text not yet carried by a result, and marks all of it reported. */
    String takeUnreported() {
        if (reported < 0 || reported >= text.length()) {
            reported = 0;
        }
        String unreported = text.substring(reported);
        reported = text.length();
        return unreported;
    }

    /** A server error result carries everything so far. */
    void markAllReported() {
        reported = text.length();
    }

    boolean endsWithNewline() {
        return text.length() > 0 && text.charAt(text.length() - 1) == '\n';
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
