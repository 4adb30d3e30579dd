package io.pqbridge.pq.wire.conninfo;

import java.nio.file.Path;
import java.util.Locale;

/** The process's real environment, home directory and user (see {@link Environment}). */
enum SystemEnvironment implements Environment {
    INSTANCE;

    @Override
    public String getenv(String name) {
        return System.getenv(name);
    }

    /** libpq's {@code pqGetHomeDirectory}: {@code $HOME}, else the password database's entry. */
    @Override
    public Path home() {
        String home = System.getenv("HOME");
        if (home == null || home.isEmpty()) {
            home = System.getProperty("user.home");
        }
        return home == null || home.isEmpty() || home.equals("?") ? null : Path.of(home);
    }

    @Override
    public String userName() {
        return System.getProperty("user.name");
    }

    @Override
    public String defaultSocketDirectory() {
        String configured = System.getProperty(SOCKET_DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.contains("linux") ? "/var/run/postgresql" : "/tmp";
    }
}
