package io.pqbridge;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The {@code java.io} views of a {@link Copy}: {@link In} reads the data of a COPY TO STDOUT
 * message after message ({@link Copy#asInputStream()}), {@link Out} writes into a COPY FROM STDIN
 * ({@link Copy#asOutputStream()}). They add no state of their own but a one-byte buffer: the
 * COPY's rules (its lock, its end, what a failure leaves) are the {@code Copy}'s. Not thread-safe,
 * as the {@code Copy} outside its block is not.
 */
final class CopyStreams {

    private CopyStreams() {
    }

    /** The data of a COPY TO STDOUT as bytes, across message boundaries. */
    static final class In extends InputStream {
        private final Copy copy;
        private final byte[] one = new byte[1];

        In(Copy copy) {
            this.copy = copy;
        }

        @Override
        public int read() {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            return copy.readSome(b, off, len);
        }
    }

    /**
     * Bytes into a COPY FROM STDIN, untouched: small writes are gathered with any buffered rows,
     * large ones go at once; {@code close()} sends what is gathered but does not end the COPY.
     */
    static final class Out extends OutputStream {
        private final Copy copy;
        private final byte[] one = new byte[1];

        Out(Copy copy) {
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            one[0] = (byte) b;
            write(one, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len >= CopySender.BUFFER_SIZE) {
                copy.write(b, off, len);
            } else {
                copy.gather(b, off, len);
            }
        }

        @Override
        public void flush() {
            copy.flushGathered();
        }

        @Override
        public void close() {
            if (!copy.hasExited()) {
                flush();
            }
        }
    }
}
