package io.pqbridge.pq.wire;

import java.util.Map;

/**
 * libpq's layout of an error or notice ({@code pqBuildErrorMessage3} with the default verbosity
 * and context visibility), including the {@code LINE n:} cursor display of
 * {@code reportErrorPosition}:
 *
 * <pre>
 * SEVERITY:  primary[ at character N (position known but no query text)]
 * [LINE n: query line, cut to a 60-column window with ... marks
 *          ^ under the error position, counted in characters, drawn in screen columns]
 * [DETAIL:  ...][HINT:  ...][QUERY:  internal query]
 * [CONTEXT:  ... (errors only; a notice's context is left out)]
 * </pre>
 */
final class ErrorMessageFormat {

    private static final int DISPLAY_SIZE = 60;
    private static final int MIN_RIGHT_CUT = 10;

    private ErrorMessageFormat() {
    }

    /**
     * @param query the text of the command that failed, or null when libpq does not keep it
     *     (it is used only for a statement position)
     * @param error true for an error result (then CONTEXT is shown), false for a notice
     */
    static String format(Map<Character, String> fields, String query, boolean error) {
        if (fields.isEmpty()) {
            return "no error message available\n";
        }
        StringBuilder msg = new StringBuilder(128);
        String severity = fields.get('S');
        if (severity != null) {
            msg.append(severity).append(":  ");
        }
        String primary = fields.get('M');
        if (primary != null) {
            msg.append(primary);
        }
        String cursorText = null;
        int cursor = 0;
        String position = fields.get('P');
        if (position != null) {
            if (query != null) {
                cursorText = query;
                cursor = atoi(position);
            } else {
                msg.append(" at character ").append(position);
            }
        } else {
            String internalPosition = fields.get('p');
            if (internalPosition != null) {
                cursorText = fields.get('q');
                if (cursorText != null) {
                    cursor = atoi(internalPosition);
                } else {
                    msg.append(" at character ").append(internalPosition);
                }
            }
        }
        msg.append('\n');
        if (cursorText != null && cursor > 0) {
            reportErrorPosition(msg, cursorText, cursor);
        }
        appendLabelled(msg, "DETAIL:  ", fields.get('D'));
        appendLabelled(msg, "HINT:  ", fields.get('H'));
        appendLabelled(msg, "QUERY:  ", fields.get('q'));
        if (error) {
            appendLabelled(msg, "CONTEXT:  ", fields.get('W'));
        }
        return msg.toString();
    }

    private static void appendLabelled(StringBuilder msg, String label, String value) {
        if (value != null) {
            msg.append(label).append(value).append('\n');
        }
    }

    /** C's atoi: optional blanks and sign, then digits; 0 when there are none. */
    static int atoi(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && v < Integer.MAX_VALUE) {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        return (int) (negative ? -v : v);
    }

    /** {@code reportErrorPosition}: {@code loc} is the 1-based character position in {@code query}. */
    static void reportErrorPosition(StringBuilder msg, String query, int location) {
        int loc = location - 1;
        if (loc < 0) {
            return;
        }
        int[] chars = query.codePoints().toArray();
        int[] screen = new int[chars.length + 1];
        int column = 0;
        int line = 1;
        int begin = 0;
        int end = -1;
        int cno;
        for (cno = 0; cno < chars.length; cno++) {
            int ch = chars[cno];
            screen[cno] = column;
            if (ch == '\t') {
                chars[cno] = ' ';
            } else if (ch == '\r' || ch == '\n') {
                if (cno < loc) {
                    if (ch == '\r' || cno == 0 || chars[cno - 1] != '\r') {
                        line++;
                    }
                    begin = cno + 1;
                } else {
                    end = cno;
                    break;
                }
            }
            int w = DisplayWidth.of(chars[cno]);
            column += w <= 0 ? 1 : w;
        }
        if (end < 0) {
            end = cno;
            screen[end] = column;
        }
        if (loc > cno) {
            return;
        }
        boolean cutBegin = false;
        boolean cutEnd = false;
        if (screen[end] - screen[begin] > DISPLAY_SIZE) {
            if (screen[begin] + DISPLAY_SIZE >= screen[loc] + MIN_RIGHT_CUT) {
                while (screen[end] - screen[begin] > DISPLAY_SIZE) {
                    end--;
                }
                cutEnd = true;
            } else {
                while (screen[loc] + MIN_RIGHT_CUT < screen[end]) {
                    end--;
                    cutEnd = true;
                }
                while (screen[end] - screen[begin] > DISPLAY_SIZE) {
                    begin++;
                    cutBegin = true;
                }
            }
        }
        String prefix = "LINE " + line + ": " + (cutBegin ? "..." : "");
        msg.append(prefix);
        msg.append(new String(chars, begin, end - begin));
        if (cutEnd) {
            msg.append("...");
        }
        msg.append('\n');
        int pad = prefix.length() + screen[loc] - screen[begin];
        for (int i = 0; i < pad; i++) {
            msg.append(' ');
        }
        msg.append("^\n");
    }
}
