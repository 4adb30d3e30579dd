package io.pqbridge.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a libpq conninfo into the pgjdbc URL of the same server and user, so pgjdbc talks to
 * exactly what the other contestants talk to. Handles {@code key=value} strings (values may be
 * single-quoted) with host, port, dbname, user, password, sslmode, and {@code postgresql://} URIs.
 */
final class JdbcUrl {

    private JdbcUrl() {
    }

    static String fromConninfo(String conninfo) {
        String c = conninfo.trim();
        if (c.startsWith("postgresql://") || c.startsWith("postgres://")) {
            return "jdbc:postgresql://" + c.substring(c.indexOf("://") + 3);
        }
        Map<String, String> kv = parse(c);
        String host = kv.getOrDefault("host", "localhost");
        if (host.startsWith("/")) {
            throw new IllegalArgumentException("pgjdbc cannot use the Unix socket " + host
                    + "; give PQBRIDGE_BENCH_DSN a TCP host (every contestant uses it)");
        }
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append(':')
                .append(kv.getOrDefault("port", "5432")).append('/').append(kv.getOrDefault("dbname", ""));
        char sep = '?';
        for (String key : new String[] {"user", "password", "sslmode"}) {
            String v = kv.get(key);
            if (v != null) {
                url.append(sep).append(key).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return url.toString();
    }

    private static Map<String, String> parse(String s) {
        Map<String, String> kv = new LinkedHashMap<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = s.substring(i, eq).trim();
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '\'') {
                for (i++; i < s.length() && s.charAt(i) != '\''; i++) {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    value.append(s.charAt(i));
                }
                i++;
            } else {
                for (; i < s.length() && !Character.isWhitespace(s.charAt(i)); i++) {
                    value.append(s.charAt(i));
                }
            }
            kv.put(key, value.toString());
        }
        return kv;
    }
}
