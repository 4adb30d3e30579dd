package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an array's text form as the server's {@code array_in} (PostgreSQL 15) reads it, so that
 * what converts here is what the server would store and what the server refuses is refused:
 * <ul>
 *   <li>an optional dimension prefix {@code [lb:ub]} or {@code [ub]} per dimension, then
 *       {@code =}; the braces must then have exactly those sizes; the lower bounds are kept
 *       ({@link #lowerBounds()}), default 1;</li>
 *   <li>white space is allowed around elements, braces and the prefix; an unquoted element loses
 *       its leading and trailing white space (space, tab, newline, CR, vertical tab, form feed);</li>
 *   <li>a backslash takes the next character literally (quoted or not); a double quote may only
 *       start an element, and after the closing quote only white space may come;</li>
 *   <li>{@code NULL} unquoted and unescaped, in any case, is a NULL element;</li>
 *   <li>sub-arrays only at the start of a level or after another sub-array, all of one size;
 *       {@code {}} (possibly with white space inside) is the empty array; at most 6 levels.</li>
 * </ul>
 * Elements are handed to an {@link ElementReader} as the bytes of their text, which turns each
 * into whatever the caller keeps (a Java value, a binary form).
 */
final class ArrayLiteral {

    /** Converts one element's text ({@code data[offset, offset + length)}); null is never passed. */
    interface ElementReader {
        Object read(byte[] data, int offset, int length);
    }

    static final int MAX_DIMENSIONS = 6;

    private final byte[] b;
    private final int start;
    private final int end;
    private final ElementReader reader;
    private int p;
    private byte[] scratch;
    private int[] lowerBounds = new int[0];

    private ArrayLiteral(byte[] b, int offset, int length, ElementReader reader) {
        this.b = b;
        this.start = offset;
        this.end = offset + length;
        this.p = offset;
        this.reader = reader;
    }

    /**
     * Parses the text; the elements as nested lists (empty for the empty array).
     *
     * @throws DataException for text {@code array_in} refuses, naming why
     */
    static ArrayLiteral parse(byte[] data, int offset, int length, ElementReader reader) {
        ArrayLiteral literal = new ArrayLiteral(data, offset, length, reader);
        literal.values = literal.read();
        return literal;
    }

    private List<Object> values;

    List<Object> values() {
        return values;
    }

    /** The lower bound of each dimension the prefix gave; empty when there was no prefix (all 1). */
    int[] lowerBounds() {
        return lowerBounds;
    }

    private List<Object> read() {
        skipSpace();
        int[] declared = dimensionPrefix();
        if (p >= end || b[p] != '{') {
            throw malformed(declared.length == 0 ? "the value must start with \"{\" or dimension information"
                    : "the contents must start with \"{\"");
        }
        List<Object> top = level(1);
        skipSpace();
        if (p != end) {
            throw malformed("junk after the closing brace");
        }
        if (declared.length > 0) {
            int[] actual = sizes(top);
            if (!java.util.Arrays.equals(actual, declared)) {
                throw malformed("the specified dimensions do not match the contents");
            }
        }
        return top;
    }

    /** {@code [lb:ub]...=}: the sizes it declares, lower bounds into {@link #lowerBounds}; empty without a prefix. */
    private int[] dimensionPrefix() {
        List<int[]> bounds = new ArrayList<>();
        for (skipSpace(); p < end && b[p] == '['; skipSpace()) { // white space between items, not within
            p++;
            if (bounds.size() == MAX_DIMENSIONS) {
                throw malformed("more than " + MAX_DIMENSIONS + " dimensions");
            }
            long first = integer("\"[\" must introduce explicitly-specified array dimensions");
            long lower = 1;
            long upper = first;
            if (p < end && b[p] == ':') {
                p++;
                lower = first;
                upper = integer("missing array dimension value");
            }
            if (p >= end || b[p] != ']') {
                throw malformed("missing \"]\" after array dimensions");
            }
            p++;
            if (upper < lower) {
                throw malformed("upper bound cannot be less than lower bound");
            }
            if (upper - lower + 1 > Integer.MAX_VALUE) {
                throw malformed("array size exceeds the maximum allowed");
            }
            bounds.add(new int[] {(int) lower, (int) (upper - lower + 1)});
        }
        if (bounds.isEmpty()) {
            return new int[0];
        }
        if (p >= end || b[p] != '=') {
            throw malformed("missing \"=\" after array dimensions");
        }
        p++;
        skipSpace();
        lowerBounds = bounds.stream().mapToInt(x -> x[0]).toArray();
        return bounds.stream().mapToInt(x -> x[1]).toArray();
    }

    /** atoi over [+-0-9]*: the digits must be there; a value past int is refused rather than wrapped. */
    private long integer(String missing) {
        int s = p;
        while (p < end && (Character.isDigit(b[p]) || b[p] == '-' || b[p] == '+')) {
            p++;
        }
        if (p == s) {
            throw malformed(missing);
        }
        try {
            return Integer.parseInt(new String(b, s, p - s, java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw malformed("dimension bound " + new String(b, s, p - s, java.nio.charset.StandardCharsets.US_ASCII)
                    + " is not an integer pqbridge converts; load without --binary-wire");
        }
    }

    /** From an opening brace to its closing brace. */
    private List<Object> level(int depth) {
        if (depth > MAX_DIMENSIONS) {
            throw malformed("more than " + MAX_DIMENSIONS + " dimensions");
        }
        p++; // '{'
        List<Object> out = new ArrayList<>();
        skipSpace();
        if (p < end && b[p] == '}') {
            if (depth > 1) {
                throw malformed("unexpected \"}\"");
            }
            p++;
            return out;
        }
        boolean sublevels = p < end && b[p] == '{';
        for (;;) {
            skipSpace();
            if (p >= end) {
                throw malformed("unexpected end of input");
            }
            if (sublevels) {
                if (b[p] != '{') {
                    throw malformed("unexpected array element");
                }
                out.add(level(depth + 1));
                skipSpace();
            } else {
                if (b[p] == '{') {
                    throw malformed("unexpected \"{\"");
                }
                out.add(element());
            }
            if (p >= end) {
                throw malformed("unexpected end of input");
            }
            if (b[p] == ',') {
                p++;
            } else if (b[p] == '}') {
                p++;
                return out;
            } else {
                throw malformed("unexpected \"" + (char) b[p] + "\"");
            }
        }
    }

    /** One element, up to (not past) its delimiter or closing brace; null for NULL. */
    private Object element() {
        if (scratch == null || scratch.length < end - p) {
            scratch = new byte[end - p];
        }
        int n = 0;
        int kept = 0; // scratch[0, kept) is the element without trailing white space
        boolean quoting = false;
        boolean quoted = false;
        boolean inQuotes = false;
        for (;;) {
            if (p >= end) {
                throw malformed("unexpected end of input");
            }
            byte c = b[p];
            if (inQuotes) {
                if (c == '\\') {
                    if (++p >= end) {
                        throw malformed("unexpected end of input");
                    }
                    scratch[n++] = b[p++];
                } else if (c == '"') {
                    inQuotes = false;
                    quoted = true;
                    kept = n;
                    p++;
                } else {
                    scratch[n++] = c;
                    p++;
                }
                continue;
            }
            if (c == ',' || c == '}') {
                break;
            }
            if (isSpace(c)) {
                if (n > 0 || quoting) {
                    scratch[n++] = c; // kept only if something else follows (kept is not moved)
                }
                p++;
                continue;
            }
            if (quoted) {
                throw malformed("unexpected array element after a quoted one");
            }
            if (c == '"') {
                if (n > 0 || quoting) {
                    throw malformed("unexpected array element");
                }
                inQuotes = true;
                quoting = true;
                p++;
            } else if (c == '{') {
                throw malformed("unexpected \"{\"");
            } else if (c == '\\') {
                if (++p >= end) {
                    throw malformed("unexpected end of input");
                }
                quoting = true;
                scratch[n++] = b[p++];
                kept = n;
            } else {
                scratch[n++] = c;
                p++;
                kept = n;
            }
        }
        if (!quoting && kept == 0) {
            throw malformed("unexpected \"" + (char) b[p] + "\"");
        }
        if (!quoting && kept == 4 && (scratch[0] | 0x20) == 'n' && (scratch[1] | 0x20) == 'u'
                && (scratch[2] | 0x20) == 'l' && (scratch[3] | 0x20) == 'l') { // pg_strcasecmp(item, "NULL")
            return null;
        }
        return reader.read(scratch, 0, kept);
    }

    /** The sizes along the first elements of each level (levels are rectangular, {@link ArrayCodec} checks). */
    private static int[] sizes(List<Object> top) {
        List<Integer> sizes = new ArrayList<>();
        Object level = top;
        while (level instanceof List<?> list && !list.isEmpty()) {
            sizes.add(list.size());
            level = list.get(0);
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    private void skipSpace() {
        while (p < end && isSpace(b[p])) {
            p++;
        }
    }

    /** {@code scanner_isspace}. */
    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    private DataException malformed(String why) {
        return new DataException("malformed array literal: " + why + ": '"
                + new String(b, start, end - start, java.nio.charset.StandardCharsets.UTF_8) + "'");
    }
}
