package io.pqbridge.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The file formats the tool reads and writes, which are COPY's own, and the option list of the
 * COPY statement for one of them. Option values are SQL literals made here ({@link #literal}), so
 * the statement is complete text (COPY takes no bound parameters).
 */
enum CopyFormat {
    CSV, TEXT, BINARY;

    /** The format's name in COPY options and messages: {@code csv}, {@code text}, {@code binary}. */
    String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Default NULL spelling of the format, as the server uses it ({@code \N} in text, nothing in CSV). */
    String defaultNull() {
        return this == CSV ? "" : "\\N";
    }

    /**
     * Whether a server of {@code serverVersion} ({@code server_version_num}) takes COPY's HEADER
     * option in this format: CSV always, text from PostgreSQL 15, binary never.
     */
    boolean takesHeader(int serverVersion) {
        return this == CSV || this == TEXT && serverVersion >= 150000;
    }

    /** Default field delimiter (TAB in text, comma in CSV). */
    char defaultDelimiter() {
        return this == CSV ? ',' : '\t';
    }

    /**
     * {@code (FORMAT x, HEADER true, DELIMITER 'c', NULL 's')}, naming only what differs from the
     * server's defaults; empty for plain text.
     */
    String options(boolean header, Character delimiter, String nullString, FileEncoding encoding) {
        List<String> options = new ArrayList<>();
        if (encoding != null && !encoding.isUtf8() && this != BINARY) {
            options.add("ENCODING " + literal(encoding.name()));
        }
        if (this != TEXT) {
            options.add("FORMAT " + keyword());
        }
        if (header) {
            options.add("HEADER true");
        }
        if (delimiter != null) {
            options.add("DELIMITER " + literal(String.valueOf(delimiter)));
        }
        if (nullString != null) {
            options.add("NULL " + literal(nullString));
        }
        return options.isEmpty() ? "" : " (" + String.join(", ", options) + ")";
    }

    /** A SQL string literal that reads the same whatever standard_conforming_strings says. */
    static String literal(String value) {
        String quoted = "'" + value.replace("'", "''") + "'";
        return value.indexOf('\\') >= 0 ? "E" + quoted.replace("\\", "\\\\") : quoted;
    }

    /** A SQL identifier, always quoted: the name exactly as stored in the catalog. */
    static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
