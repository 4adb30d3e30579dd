package io.pqbridge.pq.wire.conninfo;

import java.nio.file.Path;

/**
 * Where libpq's implicit inputs come from: environment variables, the home directory, the OS user
 * name and the compiled-in Unix-socket directory. {@link #system()} reads the real ones; tests
 * pass their own.
 */
public interface Environment {

    /** The system property that overrides the default Unix-socket directory. */
    String SOCKET_DIRECTORY_PROPERTY = "pqbridge.socketdir";

    /** An environment variable, null when unset. */
    String getenv(String name);

    /** The home directory ({@code $HOME}, else the password database's), null if unknown. */
    Path home();

    /** The OS user name libpq uses as the default {@code user}. */
    String userName();

    /**
     * The directory libpq uses for a Unix socket when no host is given ({@code DEFAULT_PGSOCKET_DIR}):
     * Debian's and Red Hat's libpq are built with {@code /var/run/postgresql}, upstream's with
     * {@code /tmp}. Set the system property {@value #SOCKET_DIRECTORY_PROPERTY} when the system
     * libpq differs.
     */
    String defaultSocketDirectory();

    static Environment system() {
        return SystemEnvironment.INSTANCE;
    }
}
