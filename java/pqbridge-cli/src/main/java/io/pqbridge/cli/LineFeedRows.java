package io.pqbridge.cli;

import io.pqbridge.adapt.ByteStops;
/**
 * Finds where rows end in COPY input whose lines end with LF, in place in a buffer, by the rules
 * of the server's reader ({@link CopyLineReader} states them): in CSV a line feed inside quotes
 * belongs to the row (every quote toggles quoting: the tool's quote and escape are both the
 * double quote); in text format a backslash takes the next byte into the row, whatever it is.
 * Used by {@link RowDealer} on the common input, where copying every row out, as
 * {@link CopyLineReader} does, would cost more than the rest of the dealing.
 *
 * <p>What this does not decide, it reports for the caller to act on: a carriage return outside
 * quotes or escapes ({@link #CARRIAGE_RETURN}: another line ending than the first row's LF, which
 * the server refuses, or a CR-terminated input, which the exact reader handles) and the
 * end-of-data marker ({@link #MARKER}: the data ends there). Bytes are not checked for UTF-8: each
 * worker's server checks the rows it gets, and its error names the line.
 *
 * <p>Not thread-safe: one per dealing thread.
 */
final class LineFeedRows {

    /** The row is not complete in the bytes given (and they are not the end of the input). */
    static final int MORE = -1;
    /** The row holds the end-of-data marker, at {@link #markerAt()}. */
    static final int MARKER = -2;
    /** A carriage return outside quotes (CSV) or not escaped (text), at {@link #carriageReturnAt()}. */
    static final int CARRIAGE_RETURN = -3;

    /** The bytes each format's row end depends on; the others are skipped eight at a time. */
    private static final ByteStops CSV_STOPS = new ByteStops('"', '\n', '\r');
    private static final ByteStops TEXT_STOPS = new ByteStops('\\', '\n', '\r');

    private final boolean csv;
    /** Whether CSV input has an end-of-data marker (the server's version decides: {@link EndMarker}). */
    private final boolean csvMarker;
    private int innerLines;
    private int markerAt;
    private int carriageReturnAt;

    LineFeedRows(boolean csv, EndMarker marker) {
        this.csv = csv;
        this.csvMarker = marker.inCsv;
    }

    /**
     * The end (after its LF) of the row starting at {@code from}, looking at {@code [from, to)};
     * or {@link #MORE}, {@link #MARKER}, {@link #CARRIAGE_RETURN}. {@code end}: nothing follows
     * {@code to} in the input, so a row running to {@code to} is complete without its LF, and
     * {@code to} is returned for it.
     */
    int rowEnd(byte[] b, int from, int to, boolean end) {
        innerLines = 0;
        return csv ? csvRowEnd(b, from, to, end) : textRowEnd(b, from, to, end);
    }

    /** CSV: the quoted line feeds inside the row just found (the server counts them as lines). */
    int innerLines() {
        return innerLines;
    }

    /** Where the end-of-data marker's backslash is, after {@link #MARKER}. */
    int markerAt() {
        return markerAt;
    }

    int carriageReturnAt() {
        return carriageReturnAt;
    }

    private int csvRowEnd(byte[] b, int from, int to, boolean end) {
        // the marker: backslash, period and the line ending as the first bytes of a line
        if (csvMarker && from < to && b[from] == '\\') {
            if (from + 2 >= to && !end) {
                return MORE;
            }
            if (from + 2 < to && b[from + 1] == '.' && b[from + 2] == '\n') {
                markerAt = from;
                return MARKER;
            }
        }
        boolean quoted = false;
        for (int i = from; (i = CSV_STOPS.indexIn(b, i, to)) < to; i++) {
            byte c = b[i];
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\n') {
                if (!quoted) {
                    return i + 1;
                }
                innerLines++;
            } else if (c == '\r' && !quoted) {
                carriageReturnAt = i;
                return CARRIAGE_RETURN;
            }
        }
        return end ? to : MORE;
    }

    private int textRowEnd(byte[] b, int from, int to, boolean end) {
        for (int i = from; (i = TEXT_STOPS.indexIn(b, i, to)) < to; i++) {
            byte c = b[i];
            if (c == '\\') {
                if (i + 1 >= to) {
                    return end ? to : MORE;
                }
                if (b[i + 1] == '.') {
                    if (i + 2 >= to && !end) {
                        return MORE;   // the server checks the byte after the marker: it must go with it
                    }
                    markerAt = i;
                    return MARKER;
                }
                i++;
            } else if (c == '\n') {
                return i + 1;
            } else if (c == '\r') {
                carriageReturnAt = i;
                return CARRIAGE_RETURN;
            }
        }
        return end ? to : MORE;
    }
}
