package io.pqbridge.pq.wire.conninfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * libpq's password file ({@code passwordFromFile}): lines {@code host:port:database:user:password},
 * {@code #} comments, {@code *} matching anything in the first four fields, backslash escaping
 * {@code :} and {@code \}; the first matching line wins. An empty host, or the default socket
 * directory, matches {@code localhost}. A missing file is ignored silently; a file that is not a
 * regular file, or that group or others may access, is ignored with libpq's warning, handed to the
 * caller's warning sink.
 */
final class Passfile {

    private Passfile() {
    }

    static String lookup(Path file, String host, String port, String dbname, String user, String defaultSocketDir,
            Consumer<String> warnings) {
        if (dbname == null || dbname.isEmpty() || user == null || user.isEmpty()) {
            return null;
        }
        if (host == null || host.isEmpty() || (ConnectionOptions.isUnixSocketPath(host) && host.equals(defaultSocketDir))) {
            host = "localhost";
        }
        if (port == null || port.isEmpty()) {
            port = "5432";
        }
        if (!Files.exists(file)) {
            return null;
        }
        try {
            if (!Files.isRegularFile(file)) {
                warnings.accept("password file \"" + file + "\" is not a plain file");
                return null;
            }
            // follows a link, as libpq's stat() does: the target's mode is what protects the passwords
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : permissions) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    warnings.accept("password file \"" + file + "\" has group or world access; permissions should be"
                            + " u=rw (0600) or less");
                    return null;
                }
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            for (String raw : lines) {
                if (raw.startsWith("#")) {
                    continue;
                }
                String line = stripCrLf(raw);
                if (line.isEmpty()) {
                    continue;
                }
                int at = 0;
                at = matches(line, at, host);
                at = at < 0 ? at : matches(line, at, port);
                at = at < 0 ? at : matches(line, at, dbname);
                at = at < 0 ? at : matches(line, at, user);
                if (at >= 0) {
                    return utf8(unescapePassword(line.substring(at)));
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        return null;
    }

    private static String stripCrLf(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** libpq's {@code pwdfMatchesString}: where the next field starts, or -1 when the token does not match. */
    private static int matches(String line, int start, String token) {
        byte[] want = token.getBytes(StandardCharsets.UTF_8);
        if (start + 1 < line.length() && line.charAt(start) == '*' && line.charAt(start + 1) == ':') {
            return start + 2;
        }
        int t = 0;
        int i = start;
        boolean backslash = false;
        while (i < line.length()) {
            if (line.charAt(i) == '\\' && !backslash) {
                i++;
                backslash = true;
                if (i >= line.length()) {
                    return -1;
                }
            }
            char c = line.charAt(i);
            if (c == ':' && t == want.length && !backslash) {
                return i + 1;
            }
            backslash = false;
            if (t == want.length) {
                return -1;
            }
            if ((byte) c == want[t]) {
                i++;
                t++;
            } else {
                return -1;
            }
        }
        return -1;
    }

    private static String unescapePassword(String rest) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rest.length() && rest.charAt(i) != ':'; i++) {
            char c = rest.charAt(i);
            if (c == '\\' && i + 1 < rest.length()) {
                c = rest.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The file was read byte for byte (ISO-8859-1); the password's bytes are UTF-8 text. */
    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
