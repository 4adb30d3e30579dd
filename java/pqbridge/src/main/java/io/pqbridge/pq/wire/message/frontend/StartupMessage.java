package io.pqbridge.pq.wire.message.frontend;

import java.util.Map;

/**
 * StartupMessage: the protocol version asked for, then name/value pairs in the given order, then a NUL.
 * libpq sends only non-empty values, in the order user, database, replication, options,
 * application_name, client_encoding, then the PGDATESTYLE/PGTZ/PGGEQO settings; the caller
 * chooses and orders them.
 */
public final class StartupMessage {

    private StartupMessage() {
    }

    /** @param version the protocol code: major in the high 16 bits, minor in the low (3.0 is 196608) */
    public static void encode(OutputBuffer out, int version, Map<String, String> parameters) {
        int at = out.beginUntyped();
        out.int32(version);
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            out.cstring(p.getKey()).cstring(p.getValue());
        }
        out.int8(0);
        out.endUntyped(at);
    }
}
