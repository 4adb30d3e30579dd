package io.pqbridge.cli;

/**
 * Receives the rows of a text or CSV input, split into fields and unescaped by the format's rules,
 * one call per event, in order: {@link #beginRow}, then {@link #field} or {@link #nullField} per
 * field, then {@link #endRow}. Field bytes are UTF-8 and valid only during the call.
 */
interface FieldSink {

    /** A row starts; {@code line} is the input line it starts on (1-based, counting a header). */
    void beginRow(long line);

    void field(byte[] data, int offset, int length);

    void nullField();

    void endRow();
}
