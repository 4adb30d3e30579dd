package io.pqbridge;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The {@code java.util} views of a {@link Copy}: {@link Messages} iterates over the CopyData
 * messages of a COPY TO STDOUT ({@link Copy#iterator()}), {@link Rows} over its parsed rows
 * ({@link Copy#rows()}). They keep no state of their own but the element {@code hasNext()} read
 * ahead (and, for rows, that the end was seen): the COPY's rules (its lock, its end, a row that
 * fails to parse) are the {@code Copy}'s, so a failure thrown from {@code hasNext()} leaves the
 * iterator able to go on with the next element. Not thread-safe, as the {@code Copy} is not.
 */
final class CopyIterators {

    private CopyIterators() {
    }

    /** The messages, as {@link Copy#read()} until it returns an empty array. */
    static final class Messages implements Iterator<byte[]> {
        private final Copy copy;
        private byte[] ahead;

        Messages(Copy copy) {
            this.copy = copy;
        }

        @Override
        public boolean hasNext() {
            if (ahead == null) {
                ahead = copy.read();
            }
            return ahead.length > 0;
        }

        @Override
        public byte[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the COPY data is finished");
            }
            byte[] message = ahead;
            ahead = null;
            return message;
        }
    }

    /** The rows, as {@link Copy#readRow()} until it returns null; once null, always done. */
    static final class Rows implements Iterator<Object[]> {
        private final Copy copy;
        private Object[] ahead;
        private boolean done;

        Rows(Copy copy) {
            this.copy = copy;
        }

        @Override
        public boolean hasNext() {
            if (ahead == null && !done) {
                ahead = copy.readRow();
                done = ahead == null;
            }
            return ahead != null;
        }

        @Override
        public Object[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the COPY data is finished");
            }
            Object[] row = ahead;
            ahead = null;
            return row;
        }
    }
}
