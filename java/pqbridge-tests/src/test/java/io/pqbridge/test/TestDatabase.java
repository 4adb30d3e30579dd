package io.pqbridge.test;

import io.pqbridge.testing.ThrowawayPostgres;
import java.util.Optional;

/**
 * The PostgreSQL server of this test run, one per JVM, chosen on first use: the conninfo in
 * {@code PQBRIDGE_TEST_DSN} if set; else a Testcontainers PostgreSQL where a Docker engine answers;
 * else a {@link ThrowawayPostgres} started from the local server binaries. A throwaway server is
 * stopped and deleted when the JVM exits. Tests never use a server that merely happens to run on
 * the machine.
 */
public final class TestDatabase {

    private static final Holder HOLDER = Holder.resolve();

    private TestDatabase() {
    }

    record Holder(String conninfo, String tcpConninfo, ThrowawayPostgres throwaway, String origin) {
        static Holder resolve() {
            String dsn = System.getenv("PQBRIDGE_TEST_DSN");
            if (dsn != null && !dsn.isBlank()) {
                return new Holder(dsn, dsn, null, "PQBRIDGE_TEST_DSN");
            }
            Holder container = TestcontainersDatabase.tryStart();
            if (container != null) {
                return container;
            }
            ThrowawayPostgres server = ThrowawayPostgres.start();
            return new Holder(server.conninfo(), server.tcpConninfo(), server, "throwaway server " + server);
        }
    }

    /** Conninfo of the server for the superuser (Unix socket where available). */
    public static String conninfo() {
        return HOLDER.conninfo;
    }

    /** Conninfo over TCP (TLS off). */
    public static String tcpConninfo() {
        return HOLDER.tcpConninfo;
    }

    /** The throwaway server, when this run owns one (needed to reconfigure auth or TLS, or to stop it). */
    public static Optional<ThrowawayPostgres> throwaway() {
        return Optional.ofNullable(HOLDER.throwaway);
    }

    /** Where the server came from, for messages. */
    public static String origin() {
        return HOLDER.origin;
    }

    /** Holder factory for a container; isolated so the Testcontainers classes load only when probed. */
    static Holder containerHolder(String conninfo, String origin) {
        return new Holder(conninfo, conninfo, null, origin);
    }
}
