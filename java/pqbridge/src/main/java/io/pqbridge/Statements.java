package io.pqbridge;

/**
 * The facade's small pieces of SQL text: quoting an identifier, a short form of a statement for
 * messages, and whether a statement is a COPY (which only {@link Cursor#copy} may run).
 */
final class Statements {

    private static final int SHORT_LENGTH = 120;

    private Statements() {
    }

    /** {@return an SQL identifier in double quotes, inner quotes doubled (psycopg's {@code sql.Identifier})} */
    static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@return the statement on one line, cut to 120 characters, for messages} */
    static String shortened(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() > SHORT_LENGTH ? line.substring(0, SHORT_LENGTH - 3) + "..." : line;
    }

    /**
     * {@return true when the first word of {@code sql}, after white space and comments (both
     * {@code --} and nested {@code /* *}{@code /}), is {@code COPY} in any case}
     */
    static boolean isCopy(String sql) {
        int i = skipBlanksAndComments(sql, 0);
        int end = i + 4;
        return end <= sql.length() && sql.regionMatches(true, i, "copy", 0, 4)
                && (end == sql.length() || !isIdentifierPart(sql.charAt(end)));
    }

    private static int skipBlanksAndComments(String sql, int from) {
        int i = from;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? n : newline + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = afterBlockComment(sql, i + 2);
            } else {
                return i;
            }
        }
        return n;
    }

    /** The server nests block comments; an unclosed one runs to the end. */
    private static int afterBlockComment(String sql, int from) {
        int depth = 1;
        int i = from;
        while (i < sql.length() && depth > 0) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
            } else {
                i++;
            }
        }
        return i;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
