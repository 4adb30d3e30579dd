package io.pqbridge.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits one direction of a PostgreSQL conversation into its messages as bytes arrive, in
 * whatever pieces. The client's side starts with untyped packets (an int32 length, then the body:
 * SSLRequest, GSSENCRequest, then the StartupMessage or a CancelRequest) and is typed (a type
 * byte, then an int32 length counting itself) from the first packet that is not an encryption
 * request; the server's side is typed from its first byte. A length below 4 cannot be framed:
 * from there on, everything is one unframed tail ({@link #unframed()}), because a client or a
 * server that sent it has left the protocol and no later boundary can be trusted.
 */
final class MessageFramer {

    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;
    static final int CANCEL_REQUEST = 80877102;

    /** The bytes not yet returned as messages: {@code pending[0, pendingLength)}. */
    private byte[] pending = new byte[8192];
    private int pendingLength;
    private boolean untyped;
    private boolean broken;

    private MessageFramer(boolean untyped) {
        this.untyped = untyped;
    }

    /** A framer for the bytes a client sends. */
    static MessageFramer client() {
        return new MessageFramer(true);
    }

    /** A framer for the bytes a server sends (after any one-byte answers to encryption requests). */
    static MessageFramer server() {
        return new MessageFramer(false);
    }

    /**
     * Adds bytes and returns the messages they complete, in order, each whole (header included).
     * Bytes of an unfinished message stay pending; after a length that cannot be framed, nothing
     * more is returned. Linear in the bytes fed, whatever the pieces.
     */
    List<byte[]> feed(byte[] bytes, int offset, int length) {
        if (pending.length - pendingLength < length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
        }
        System.arraycopy(bytes, offset, pending, pendingLength, length);
        pendingLength += length;
        List<byte[]> messages = new ArrayList<>();
        if (broken) {
            return messages;
        }
        int at = 0;
        while (true) {
            int header = untyped ? 4 : 5;
            if (pendingLength - at < header) {
                break;
            }
            int declared = ByteBuffer.wrap(pending, at + header - 4, 4).getInt();
            if (declared < 4) {
                broken = true;
                break;
            }
            long end = at + (long) header - 4 + declared;
            if (pendingLength < end) {
                break;
            }
            byte[] message = Arrays.copyOfRange(pending, at, (int) end);
            if (untyped && !isEncryptionRequest(message)) {
                untyped = false;
            }
            messages.add(message);
            at = (int) end;
        }
        if (at > 0) {
            System.arraycopy(pending, at, pending, 0, pendingLength - at);
            pendingLength -= at;
        }
        return messages;
    }

    /** Whether everything fed so far was whole messages. */
    boolean atBoundary() {
        return !broken && pendingLength == 0;
    }

    /** Whether a length that cannot be framed was seen. */
    boolean broken() {
        return broken;
    }

    /** The bytes not returned as messages: an unfinished message, or everything from a bad length on. */
    byte[] unframed() {
        return Arrays.copyOf(pending, pendingLength);
    }

    /** A typed message: {@code type}, the int32 length (counting itself), {@code body}. */
    static byte[] message(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }

    /** An untyped packet that asks for TLS or GSS encryption (the server answers it with one byte). */
    static boolean isEncryptionRequest(byte[] packet) {
        if (packet.length != 8) {
            return false;
        }
        int code = ByteBuffer.wrap(packet, 4, 4).getInt();
        return code == SSL_REQUEST || code == GSSENC_REQUEST;
    }

    /** An untyped packet that is a CancelRequest (any key length: protocol 3.2 keys are longer). */
    static boolean isCancelRequest(byte[] packet) {
        return packet.length >= 12 && ByteBuffer.wrap(packet, 4, 4).getInt() == CANCEL_REQUEST;
    }
}
