package io.pqbridge.pq.wire.message.backend;

/**
 * BackendKeyData ('K'): what a CancelRequest must quote. The key is the rest of the message: 4
 * bytes in protocol 3.0, up to 256 in 3.2 (PostgreSQL 18 sends 32); the session checks its length
 * against the protocol version, as libpq 18 does.
 */
public record BackendKeyData(int processId, byte[] secretKey) implements BackendMessage {

    public static final byte TYPE = 'K';

    static BackendKeyData decode(MessageCursor in) throws MalformedMessageException {
        int processId = in.int32();
        return new BackendKeyData(processId, in.bytes(in.remaining()));
    }
}
