package io.pqbridge.pq.wire.message.backend;

/** BackendKeyData ('K'): what a CancelRequest must quote (protocol 3.0: a 4-byte key). */
public record BackendKeyData(int processId, int secretKey) implements BackendMessage {

    public static final byte TYPE = 'K';

    static BackendKeyData decode(MessageCursor in) throws MalformedMessageException {
        BackendKeyData key = new BackendKeyData(in.int32(), in.int32());
        in.expectEnd();
        return key;
    }
}
