package io.pqbridge.pq.wire.message.frontend;

import java.util.Map;

/**
 * StartupMessage: protocol version 3.0, then name/value pairs in the given order, then a NUL.
 * libpq sends only non-empty values, in the order user, database, replication, options,
 * application_name, client_encoding, then the PGDATESTYLE/PGTZ/PGGEQO settings; the caller
 * chooses and orders them.
 */
public final class StartupMessage {

    /** Protocol 3.0. */
    public static final int PROTOCOL_3_0 = 196608;

    private StartupMessage() {
    }

    public static void encode(OutputBuffer out, Map<String, String> parameters) {
        int at = out.beginUntyped();
        out.int32(PROTOCOL_3_0);
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            out.cstring(p.getKey()).cstring(p.getValue());
        }
        out.int8(0);
        out.end(at);
    }
}
