package io.pqbridge.cli;

/**
 * What the server's COPY reader makes of a backslash followed by a period, the end-of-data marker
 * of COPY's text format. PostgreSQL 18 changed it, so a load reads it by the rule of the server it
 * loads into; read by the other rule, a file would lose its rows after a {@code \.} line (CSV on
 * 18) or store a row the server refuses (text on 18).
 */
enum EndMarker {

    /**
     * PostgreSQL 17 and older. Text format: ends the data wherever it stands, the line's bytes
     * before it being the last line. CSV: ends the data as the first bytes of a line followed by
     * its line ending, otherwise it is data.
     */
    BEFORE_18(true, false, "end-of-copy marker corrupt"),

    /**
     * PostgreSQL 18 and later. Text format: ends the data only alone on its line, any data before
     * it on the line being an error. CSV: always data.
     */
    FROM_18(false, true, "end-of-copy marker is not alone on its line");

    /** Whether CSV input has the marker at all. */
    final boolean inCsv;
    /** Whether, in text format, bytes before the marker on its line are an error rather than the last line. */
    final boolean aloneInText;
    /** The server's error for a marker it cannot take: not followed by the line ending (or, from 18, not alone). */
    final String malformed;

    EndMarker(boolean inCsv, boolean aloneInText, String malformed) {
        this.inCsv = inCsv;
        this.aloneInText = aloneInText;
        this.malformed = malformed;
    }

    /** The rule of a server of {@code serverVersion} (as {@code server_version_num}, 180000 for 18.0). */
    static EndMarker of(int serverVersion) {
        return serverVersion >= 180000 ? FROM_18 : BEFORE_18;
    }
}
