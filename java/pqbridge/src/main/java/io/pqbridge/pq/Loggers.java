package io.pqbridge.pq;

/**
 * The library's loggers, {@code io.pqbridge} (the facade), {@code io.pqbridge.pq} (the backends)
 * and {@code io.pqbridge.pool} (the connection pools), each created on its first use. Creating a {@link System.Logger} starts the JDK's
 * logging back end ({@code java.util.logging}'s {@code LogManager} unless the application
 * installed another), several milliseconds that a short program which never logs, such as the
 * command-line tool, should not pay at start-up.
 */
public final class Loggers {

    private Loggers() {
    }

    /** {@return the facade's logger, {@code io.pqbridge}} */
    public static System.Logger facade() {
        return Facade.LOGGER;
    }

    /** {@return the backends' logger, {@code io.pqbridge.pq}} */
    public static System.Logger backends() {
        return Backends.LOGGER;
    }

    /** {@return the pools' logger, {@code io.pqbridge.pool}} */
    public static System.Logger pool() {
        return Pool.LOGGER;
    }

    private static final class Facade {
        static final System.Logger LOGGER = System.getLogger("io.pqbridge");
    }

    private static final class Backends {
        static final System.Logger LOGGER = System.getLogger("io.pqbridge.pq");
    }

    private static final class Pool {
        static final System.Logger LOGGER = System.getLogger("io.pqbridge.pool");
    }
}
