package io.pqbridge.pq;

/**
 * The library's two loggers, {@code io.pqbridge} (the facade) and {@code io.pqbridge.pq} (the
 * backends), each created on its first use. Creating a {@link System.Logger} starts the JDK's
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

    private static final class Facade {
        static final System.Logger LOGGER = System.getLogger("io.pqbridge");
    }

    private static final class Backends {
        static final System.Logger LOGGER = System.getLogger("io.pqbridge.pq");
    }
}
