package io.pqbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server in a temporary directory, for tests, the demo and trying things out.
 *
 * <p>It runs the local PostgreSQL server binaries ({@code PQBRIDGE_PG_BIN}, else the newest
 * {@code /usr/lib/postgresql/<version>/bin}, else {@code initdb} on the {@code PATH}) on a free TCP
 * port of 127.0.0.1 and a private Unix-socket directory, with durability switched off for speed
 * and {@code lc_messages=C} so server messages are the English texts libpq's documentation shows.
 * PostgreSQL refuses to run as root, so when this JVM is root the server runs as the
 * {@code postgres} user (or {@code nobody}) through {@code runuser}.
 *
 * <p>Authentication is prepared for tests: local connections and TCP connections of ordinary
 * roles are trusted; roles that are members of {@code pqb_md5}, {@code pqb_password} or
 * {@code pqb_scram} must authenticate over TCP with that method, members of
 * {@code pqb_sslonly} must use TLS with SCRAM, and members of {@code pqb_cert} must use TLS with a
 * client certificate whose CN is the role name. {@link #createRoleSql} writes the statements that
 * create such a role. TLS is off until {@link #enableTls} installs a certificate.
 *
 * <p>{@link #close()} stops the server at once and deletes its directory; a shutdown hook does the
 * same if the JVM exits first. Not thread-safe: one owner starts, reconfigures and stops it.
 */
public final class ThrowawayPostgres implements AutoCloseable {

    /** The superuser every throwaway server is created with. */
    public static final String SUPERUSER = "test";

    private static final List<String> AUTH_GROUPS = List.of("pqb_md5", "pqb_password", "pqb_scram", "pqb_sslonly",
            "pqb_cert");

    private final Path binDir;
    private final Path root;
    private final Path dataDir;
    private final int port;
    private final String runAs; // null when this JVM is not root
    private final Thread shutdownHook;
    private boolean running;
    private boolean deleted;

    private ThrowawayPostgres(Path binDir, Path root, int port, String runAs) {
        this.binDir = binDir;
        this.root = root;
        this.dataDir = root.resolve("data");
        this.port = port;
        this.runAs = runAs;
        this.shutdownHook = new Thread(this::destroy, "pqbridge-throwaway-postgres-stop");
    }

    /**
     * Creates and starts a server (about 1-2 s).
     *
     * @return the running server; {@link #close()} it
     * @throws IllegalStateException if no PostgreSQL server binaries are found, with the packages
     *     to install; or if initdb or the start fails, with the server's log
     * @throws java.io.UncheckedIOException when the temporary directory cannot be created
     */
    public static ThrowawayPostgres start() {
        Path bin = findBinaries();
        String runAs = isRoot() ? serverUser() : null;
        Path root;
        try {
            root = Files.createTempDirectory("pqtest");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the throwaway server", e);
        }
        ThrowawayPostgres server = new ThrowawayPostgres(bin, root, freePort(), runAs);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.startWatchdog();
            server.init();
            server.startServer();
            return server;
        } catch (RuntimeException e) {
            server.destroy();
            throw e;
        }
    }

    /** {@return conninfo for the superuser over the Unix socket, database {@code postgres}} */
    public String conninfo() {
        return "host=" + root + " port=" + port + " user=" + SUPERUSER + " dbname=postgres";
    }

    /**
     * {@return conninfo for the superuser over TCP 127.0.0.1 with TLS off, database
     * {@code postgres}}
     */
    public String tcpConninfo() {
        return "host=127.0.0.1 port=" + port + " user=" + SUPERUSER + " dbname=postgres sslmode=disable";
    }

    /** {@return the server's port, on 127.0.0.1 and in the Unix socket's name} */
    public int port() {
        return port;
    }

    /** {@return the directory holding the server's Unix socket ({@code .s.PGSQL.<port>})} */
    public Path socketDirectory() {
        return root;
    }

    /** {@return the server's data directory, holding {@code postgresql.conf}} */
    public Path dataDirectory() {
        return dataDir;
    }

    /** {@return the server log (the startup and anything at WARNING or above)} */
    public Path logFile() {
        return root.resolve("server.log");
    }

    /**
     * SQL that creates a login role authenticating with {@code method}. Run it as the superuser.
     *
     * @param name the role's name, quoted as an identifier
     * @param password the role's password (not used by {@code cert})
     * @param method {@code md5}, {@code password}, {@code scram-sha-256}, {@code ssl} for TLS-only
     *     SCRAM, or {@code cert} for a TLS client certificate whose CN is the role's name
     * @return the statements, separated by semicolons
     * @throws IllegalArgumentException for another method
     */
    public static String createRoleSql(String name, String password, String method) {
        String group;
        String encryption;
        switch (method) {
            case "md5" -> { group = "pqb_md5"; encryption = "md5"; }
            case "password" -> { group = "pqb_password"; encryption = "scram-sha-256"; }
            case "scram-sha-256" -> { group = "pqb_scram"; encryption = "scram-sha-256"; }
            case "ssl" -> { group = "pqb_sslonly"; encryption = "scram-sha-256"; }
            case "cert" -> { group = "pqb_cert"; encryption = "scram-sha-256"; }
            default -> throw new IllegalArgumentException("unknown authentication method '" + method
                    + "'; use md5, password, scram-sha-256, ssl or cert");
        }
        return "SET password_encryption = '" + encryption + "'; CREATE ROLE \"" + name.replace("\"", "\"\"")
                + "\" LOGIN PASSWORD '" + password.replace("'", "''") + "' IN ROLE " + group
                + "; RESET password_encryption";
    }

    /**
     * Turns TLS on with this certificate and key, keeping plain connections allowed, and reloads
     * the server. The files are copied into the data directory with the permissions the server
     * demands.
     *
     * @param certificate the server's certificate (PEM)
     * @param key the certificate's private key (PEM)
     * @throws java.io.UncheckedIOException when the files cannot be copied or the configuration
     *     written
     */
    public void enableTls(Path certificate, Path key) {
        enableTls(certificate, key, null);
    }

    /**
     * {@link #enableTls(Path, Path)}, and with {@code clientCertificateAuthorities} the server asks
     * clients for a certificate and trusts those it issued, which the {@code cert} roles need.
     *
     * @param certificate the server's certificate (PEM)
     * @param key the certificate's private key (PEM)
     * @param clientCertificateAuthorities the certificates that issue client certificates (PEM), or
     *     null
     * @throws java.io.UncheckedIOException when the files cannot be copied or the configuration
     *     written
     */
    public void enableTls(Path certificate, Path key, Path clientCertificateAuthorities) {
        try {
            Path cert = dataDir.resolve("server.crt");
            Path k = dataDir.resolve("server.key");
            Path ca = dataDir.resolve("client-ca.crt");
            Files.copy(certificate, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(key, k, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(k, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            if (clientCertificateAuthorities != null) {
                Files.copy(clientCertificateAuthorities, ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            if (runAs != null) {
                run(List.of("chown", runAs, cert.toString(), k.toString()), false);
                if (clientCertificateAuthorities != null) {
                    run(List.of("chown", runAs, ca.toString()), false);
                }
            }
            appendConfig("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n"
                    + (clientCertificateAuthorities == null ? "" : "ssl_ca_file = 'client-ca.crt'\n"));
            reload();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the TLS certificate", e);
        }
    }

    /**
     * Appends lines to postgresql.conf; call {@link #reload()} or restart for them to apply.
     *
     * @param lines text appended as it is; end every line with a newline
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public void appendConfig(String lines) {
        try {
            Files.writeString(dataDir.resolve("postgresql.conf"), lines, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write postgresql.conf", e);
        }
    }

    /** Makes the server re-read its configuration files. */
    public void reload() {
        pgCtl("reload");
    }

    /** Stops the server at once ({@code pg_ctl stop -m immediate}), as a crash would. */
    public void stopImmediately() {
        if (running) {
            pgCtl("stop", "-m", "immediate");
            running = false;
        }
    }

    /** Starts the server again after {@link #stopImmediately()} on the same port and directory. */
    public void restart() {
        if (!running) {
            startServer();
        }
    }

    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook has run or will
        }
    }

    // ---- setup -------------------------------------------------------------------------------

    private void init() {
        if (runAs != null) {
            run(List.of("chown", runAs, root.toString()), false);
        }
        asServerUser(List.of(binDir.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", SUPERUSER,
                "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"));
        appendConfig(String.join("\n",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + root + "'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "max_connections = 100",
                "lc_messages = 'C'",
                "password_encryption = 'scram-sha-256'",
                "log_min_messages = warning",
                "log_min_error_statement = panic",
                ""));
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), String.join("\n",
                    "# written by pqbridge's ThrowawayPostgres",
                    "local     all all                        trust",
                    "host      all +pqb_md5      127.0.0.1/32 md5",
                    "host      all +pqb_password 127.0.0.1/32 password",
                    "host      all +pqb_scram    127.0.0.1/32 scram-sha-256",
                    "hostssl   all +pqb_sslonly  127.0.0.1/32 scram-sha-256",
                    "hostnossl all +pqb_sslonly  127.0.0.1/32 reject",
                    "hostssl   all +pqb_cert     127.0.0.1/32 cert",
                    "hostnossl all +pqb_cert     127.0.0.1/32 reject",
                    "host      all all           127.0.0.1/32 trust",
                    "host      all all           ::1/128      trust",
                    ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pg_hba.conf", e);
        }
        // the group roles pg_hba.conf names, created in single-user mode (one statement per line)
        StringBuilder sql = new StringBuilder();
        for (String group : AUTH_GROUPS) {
            sql.append("CREATE ROLE ").append(group).append(" NOLOGIN\n");
        }
        asServerUser(List.of(binDir.resolve("postgres").toString(), "--single", "-D", dataDir.toString(),
                "postgres"), sql.toString());
    }

    private void startServer() {
        asServerUser(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l",
                logFile().toString(), "-w", "-t", "60", "start"));
        running = true;
    }

    private void pgCtl(String... args) {
        List<String> command = new ArrayList<>(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                "-w", "-t", "60"));
        command.addAll(Arrays.asList(args));
        asServerUser(command);
    }

    private void destroy() {
        synchronized (this) {
            if (deleted) {
                return;
            }
            deleted = true;
        }
        if (running) {
            try {
                pgCtl("stop", "-m", "immediate");
            } catch (RuntimeException e) {
                // the directory goes anyway; a server that survives has lost its data directory
            }
            running = false;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory left behind is harmless
        }
    }

    // ---- processes ---------------------------------------------------------------------------

    private void asServerUser(List<String> command) {
        asServerUser(command, null);
    }

    private void asServerUser(List<String> command, String input) {
        run(asServerUserCommand(command), true, input);
    }

    private List<String> asServerUserCommand(List<String> command) {
        List<String> full = new ArrayList<>();
        if (runAs != null) {
            full.addAll(List.of("runuser", "-u", runAs, "--"));
        }
        full.addAll(command);
        return full;
    }

    /**
     * A shutdown hook does not run when the JVM is killed (SIGKILL, a test runner's timeout), and
     * a server left behind would live on. So a small detached shell watches this JVM: once it is
     * gone while the directory still exists, the shell stops the server and deletes the directory.
     * It exits by itself within a second of {@link #close()} deleting the directory.
     */
    private void startWatchdog() {
        List<String> stop = asServerUserCommand(List.of(binDir.resolve("pg_ctl").toString(), "-D",
                dataDir.toString(), "-m", "immediate", "stop"));
        StringBuilder stopCommand = new StringBuilder();
        for (String word : stop) {
            stopCommand.append(shellQuote(word)).append(' ');
        }
        String dir = shellQuote(root.toString());
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null && [ -d " + dir
                + " ]; do sleep 1; done; if [ -d " + dir + " ]; then " + stopCommand + "; rm -rf " + dir + "; fi";
        try {
            new ProcessBuilder("sh", "-c", script).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the throwaway server's watchdog", e);
        }
    }

    private static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private String run(List<String> command, boolean showLog) {
        return run(command, showLog, null);
    }

    private String run(List<String> command, boolean showLog, String input) {
        try {
            Path output = Files.createTempFile("pqtest-cmd", ".log");
            try {
                Process p = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                try (var stdin = p.getOutputStream()) {
                    if (input != null) {
                        stdin.write(input.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out after 120 s: " + String.join(" ", command));
                }
                String text = Files.readString(output, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    String log = "";
                    if (showLog && Files.exists(logFile())) {
                        log = "\nserver log:\n" + Files.readString(logFile(), StandardCharsets.UTF_8);
                    }
                    throw new IllegalStateException("throwaway PostgreSQL: '" + String.join(" ", command)
                            + "' exited with " + p.exitValue() + ":\n" + text + log);
                }
                return text;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    // ---- discovery ---------------------------------------------------------------------------

    /** The directory with initdb, pg_ctl and postgres. */
    static Path findBinaries() {
        String configured = System.getenv("PQBRIDGE_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            if (Files.isExecutable(dir.resolve("initdb"))) {
                return dir;
            }
            throw new IllegalStateException("PQBRIDGE_PG_BIN=" + configured + " has no executable initdb");
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(ThrowawayPostgres::versionNumber)).orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            } catch (IOException e) {
                // fall through to PATH
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        }
        throw new IllegalStateException("no PostgreSQL server binaries found (looked at PQBRIDGE_PG_BIN, "
                + "/usr/lib/postgresql/*/bin and PATH). Install them, e.g. on Debian/Ubuntu: "
                + "apt-get install postgresql, or set PQBRIDGE_PG_BIN to the directory holding initdb and pg_ctl");
    }

    private static int versionNumber(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            // not Linux: fall back to the user name
        }
        return "root".equals(System.getProperty("user.name"));
    }

    private static String serverUser() {
        for (String candidate : List.of("postgres", "nobody")) {
            try {
                Process p = new ProcessBuilder("id", "-u", candidate).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("running as root, and neither a 'postgres' nor a 'nobody' user exists "
                + "to run the server as; create one (useradd postgres) or run as an ordinary user");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free TCP port", e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ThrowawayPostgres[%s, port %d%s]", root, port,
                runAs == null ? "" : ", running as " + runAs);
    }
}
