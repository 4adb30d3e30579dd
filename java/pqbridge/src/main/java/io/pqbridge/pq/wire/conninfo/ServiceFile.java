package io.pqbridge.pq.wire.conninfo;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * libpq's service files ({@code parseServiceInfo}): the service named by {@code service} or
 * {@code PGSERVICE} is looked up in {@code PGSERVICEFILE} (else {@code ~/.pg_service.conf}), then
 * in {@code PGSYSCONFDIR/pg_service.conf} (Debian's libpq: {@code /etc/postgresql-common}). Its
 * settings fill only options the conninfo string did not set.
 */
final class ServiceFile {

    /** Debian's SYSCONFDIR for libpq. */
    static final String SYSCONFDIR = "/etc/postgresql-common";

    private ServiceFile() {
    }

    static void apply(Map<String, String> options, Environment env) throws ConninfoException {
        String service = options.get("service");
        if (service == null) {
            service = env.getenv("PGSERVICE");
        }
        if (service == null) {
            return;
        }
        String explicit = env.getenv("PGSERVICEFILE");
        Path first = null;
        if (explicit != null) {
            first = Path.of(explicit);
        } else if (env.home() != null && Files.exists(env.home().resolve(".pg_service.conf"))) {
            first = env.home().resolve(".pg_service.conf");
        }
        if (first != null && read(first, service, options)) {
            return;
        }
        String sysconf = env.getenv("PGSYSCONFDIR");
        Path system = Path.of(sysconf != null ? sysconf : SYSCONFDIR, "pg_service.conf");
        if (Files.exists(system) && read(system, service, options)) {
            return;
        }
        throw new ConninfoException("definition of service \"" + service + "\" not found");
    }

    /** True when the file has the service's group; its settings are applied. */
    private static boolean read(Path file, String service, Map<String, String> options) throws ConninfoException {
        boolean found = false;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String raw;
            int lineNumber = 0;
            while ((raw = in.readLine()) != null) {
                lineNumber++;
                if (raw.length() >= 1022) {
                    throw new ConninfoException("line " + lineNumber + " too long in service file \"" + file + "\"");
                }
                String line = raw.strip();
                if (line.isEmpty() || line.charAt(0) == '#') {
                    continue;
                }
                if (line.charAt(0) == '[') {
                    if (found) {
                        return true;
                    }
                    found = line.startsWith("[" + service + "]") && line.length() >= service.length() + 2;
                    continue;
                }
                if (!found) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq < 0) {
                    throw new ConninfoException("syntax error in service file \"" + file + "\", line " + lineNumber);
                }
                String key = line.substring(0, eq);
                if (key.equals("service")) {
                    throw new ConninfoException("nested service specifications not supported in service file \""
                            + file + "\", line " + lineNumber);
                }
                if (Keyword.named(key) == null) {
                    throw new ConninfoException("syntax error in service file \"" + file + "\", line " + lineNumber);
                }
                options.putIfAbsent(key, line.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new ConninfoException("service file \"" + file + "\" not found");
        }
        return found;
    }
}
