package io.pqbridge.pq.wire.message.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * NegotiateProtocolVersion ('v'): the newest minor protocol version the server supports and the
 * {@code _pq_.} options of the startup message it did not recognise.
 */
public record NegotiateProtocolVersion(int newestMinorVersion, List<String> unrecognizedOptions)
        implements BackendMessage {

    public static final byte TYPE = 'v';

    static NegotiateProtocolVersion decode(MessageCursor in) throws MalformedMessageException {
        int minor = in.int32();
        int count = in.int32();
        List<String> options = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            options.add(in.cstring());
        }
        in.expectEnd();
        return new NegotiateProtocolVersion(minor, List.copyOf(options));
    }
}
