package io.pqbridge.pq.wire.message.backend;

import io.pqbridge.pq.wire.message.frontend.OutputBuffer;

/** Builds backend message bodies for the decoder tests (the encoding helpers are the frontend's). */
final class Bodies {

    private Bodies() {
    }

    static OutputBuffer body() {
        return new OutputBuffer(64);
    }

    static BackendMessage decode(char type, OutputBuffer body) throws MalformedMessageException {
        byte[] bytes = body.toByteArray();
        // decode from the middle of a larger array, as the connection does
        byte[] framed = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, framed, 3, bytes.length);
        return BackendMessageDecoder.decode((byte) type, framed, 3, bytes.length);
    }
}
