package io.pqbridge.pq;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps passwords out of text: the secret connection options, and the masking of their values
 * where a message repeats a connection string. libpq's own messages do repeat it (a malformed
 * URI is echoed whole, {@code user:password@} included), and those texts travel into exception
 * messages, logs and bug reports; so every text pqbridge produces from a connection string goes
 * through {@link #mask}, on both backends.
 */
public final class ConninfoSecrets {

    /** What stands in for a secret value. */
    public static final String MASK = "********";

    /**
     * The password, the client key's password, and libpq 18's password equivalents: the SCRAM keys
     * (either one lets its holder log in as the user or pose as the server) and the OAuth client
     * secret.
     */
    private static final Set<String> SECRET_KEYWORDS = Set.of("password", "sslpassword", "scram_client_key",
            "scram_server_key", "oauth_client_secret");
    private static final Pattern KEY_VALUE_SECRET = Pattern.compile(
            "(?:^|\\s)(password|sslpassword|scram_client_key|scram_server_key|oauth_client_secret)\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'?|[^\\s']+)");

    private ConninfoSecrets() {
    }

    /**
     * Whether an option's value must never be shown ({@code password}, {@code sslpassword}, the SCRAM
     * keys, {@code oauth_client_secret}).
     *
     * @param keyword an option's keyword, or null
     * @return true for a secret option; false for null
     */
    public static boolean isSecret(String keyword) {
        return keyword != null && SECRET_KEYWORDS.contains(keyword);
    }

    /**
     * The value as it may be shown.
     *
     * @param keyword the option's keyword
     * @param value the option's value, or null
     * @return {@link #MASK} for a secret option's non-null value, else {@code value}
     */
    public static String shown(String keyword, String value) {
        return value != null && isSecret(keyword) ? MASK : value;
    }

    /**
     * {@code text} with every secret value of {@code conninfo} masked where the text repeats it:
     * the connection string itself, a {@code keyword=value} pair, a URI's {@code :password@}. Works
     * on malformed connection strings too (they are the ones whose errors echo them).
     *
     * @param text a message, or null
     * @param conninfo the connection string (key/value or URI) the message may repeat, or null
     * @return the masked text; {@code text} itself when there is nothing to mask, null for null
     */
    public static String mask(String text, String conninfo) {
        if (text == null || conninfo == null || conninfo.isEmpty()) {
            return text;
        }
        List<int[]> spans = secretSpans(conninfo);
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder masked = new StringBuilder(conninfo);
        for (int i = spans.size() - 1; i >= 0; i--) {
            masked.replace(spans.get(i)[0], spans.get(i)[1], MASK);
        }
        String result = text.replace(conninfo, masked);
        for (int[] span : spans) {
            String value = conninfo.substring(span[0], span[1]);
            result = result.replace(":" + value + "@", ":" + MASK + "@");
            for (String keyword : SECRET_KEYWORDS) {
                result = result.replace(keyword + "=" + value, keyword + "=" + MASK);
            }
        }
        return result;
    }

    /** Where the secret values lie in a connection string, in order: [start, end) pairs. */
    private static List<int[]> secretSpans(String conninfo) {
        List<int[]> spans = new ArrayList<>();
        int scheme = conninfo.indexOf("://");
        if (conninfo.startsWith("postgresql://") || conninfo.startsWith("postgres://")) {
            int start = scheme + 3;
            int end = start;
            while (end < conninfo.length() && conninfo.charAt(end) != '@' && conninfo.charAt(end) != '/') {
                end++;
            }
            int colon = conninfo.indexOf(':', start);
            if (end < conninfo.length() && conninfo.charAt(end) == '@' && colon >= 0 && colon < end) {
                addSpan(spans, colon + 1, end);
            }
            int query = conninfo.indexOf('?', end);
            for (int at = query; at >= 0 && at < conninfo.length();) {
                int next = conninfo.indexOf('&', at + 1);
                int stop = next < 0 ? conninfo.length() : next;
                int equals = conninfo.indexOf('=', at + 1);
                if (equals > 0 && equals < stop && isSecret(conninfo.substring(at + 1, equals))) {
                    addSpan(spans, equals + 1, stop);
                }
                at = next;
            }
        } else {
            Matcher m = KEY_VALUE_SECRET.matcher(conninfo);
            while (m.find()) {
                addSpan(spans, m.start(2), m.end(2));
            }
        }
        return spans;
    }

    private static void addSpan(List<int[]> spans, int start, int end) {
        if (end > start) {
            spans.add(new int[] {start, end});
        }
    }
}
