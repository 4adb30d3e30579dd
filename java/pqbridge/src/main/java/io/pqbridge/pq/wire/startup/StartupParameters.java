package io.pqbridge.pq.wire.startup;

import io.pqbridge.pq.wire.conninfo.ConnectionOptions;
import io.pqbridge.pq.wire.conninfo.Environment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The name/value pairs of the StartupMessage, chosen as libpq's {@code build_startup_packet}
 * chooses them: non-empty values only, in the order user, database, replication, options,
 * application_name (else fallback_application_name), client_encoding, then the PGDATESTYLE,
 * PGTZ and PGGEQO settings of the environment unless they say {@code default}. A pure function.
 */
public final class StartupParameters {

    /** The environment variables libpq turns into startup parameters, and the parameter each sets. */
    private static final String[][] ENVIRONMENT_SETTINGS = {{"PGDATESTYLE", "datestyle"}, {"PGTZ", "timezone"},
        {"PGGEQO", "geqo"}};

    private StartupParameters() {
    }

    /** The pairs for a connection with these settled options; unmodifiable, in sending order. */
    public static Map<String, String> of(ConnectionOptions options, Environment environment) {
        Map<String, String> p = new LinkedHashMap<>();
        putIfNonEmpty(p, "user", options.get("user"));
        putIfNonEmpty(p, "database", options.get("dbname"));
        putIfNonEmpty(p, "replication", options.get("replication"));
        putIfNonEmpty(p, "options", options.get("options"));
        String application = options.get("application_name");
        putIfNonEmpty(p, "application_name", application != null ? application
                : options.get("fallback_application_name"));
        putIfNonEmpty(p, "client_encoding", options.get("client_encoding"));
        for (String[] setting : ENVIRONMENT_SETTINGS) {
            String value = environment.getenv(setting[0]);
            if (value != null && !value.equalsIgnoreCase("default")) {
                p.put(setting[1], value);
            }
        }
        return Collections.unmodifiableMap(p);
    }

    private static void putIfNonEmpty(Map<String, String> p, String name, String value) {
        if (value != null && !value.isEmpty()) {
            p.put(name, value);
        }
    }
}
