package io.pqbridge.pq.wire;

/** libpq's {@code pqParseIntParam}: strtol with only blanks around the digits, within int range. */
final class IntParameter {
    private IntParameter() {
    }

    static Integer parse(String value) {
        String s = value;
        int i = 0;
        while (i < s.length() && isCSpace(s.charAt(i))) {
            i++;
        }
        int start = i;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i == digits) {
            return null;
        }
        long v;
        try {
            v = Long.parseLong(s.substring(start, i));
        } catch (NumberFormatException e) {
            return null;
        }
        if (v != (int) v) {
            return null;
        }
        while (i < s.length() && isCSpace(s.charAt(i))) {
            i++;
        }
        return i == s.length() ? (int) v : null;
    }

    static String invalid(String value, String keyword) {
        return "invalid integer value \"" + value + "\" for connection option \"" + keyword + "\"\n";
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }
}
