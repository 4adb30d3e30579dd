package io.pqbridge.adapt;

/**
 * libpq's {@code PQescapeLiteral} rules, which psycopg uses to quote a value's text form: the
 * text between single quotes with every {@code '} doubled; when the text holds a backslash, every
 * backslash doubled too and the literal written {@code  E'...'} (with a leading space, so it
 * cannot merge with a preceding identifier). The result is correct whatever
 * {@code standard_conforming_strings} is.
 */
final class Literals {

    private Literals() {
    }

    static void quote(byte[] text, int offset, int length, ByteSink out) {
        boolean backslash = false;
        int quotes = 0;
        for (int i = offset; i < offset + length; i++) {
            if (text[i] == '\\') {
                backslash = true;
                quotes++;
            } else if (text[i] == '\'') {
                quotes++;
            }
        }
        out.ensure(length + quotes + 4);
        if (backslash) {
            out.put(' ');
            out.put('E');
        }
        out.put('\'');
        for (int i = offset; i < offset + length; i++) {
            byte b = text[i];
            if (b == '\\' || b == '\'') {
                out.put(b);
            }
            out.put(b);
        }
        out.put('\'');
    }
}
