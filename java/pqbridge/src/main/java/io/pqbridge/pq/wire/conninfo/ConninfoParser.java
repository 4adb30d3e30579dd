package io.pqbridge.pq.wire.conninfo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * libpq's conninfo string parser ({@code parse_connection_string}): a {@code postgresql://} or
 * {@code postgres://} URI, or else {@code keyword=value} pairs.
 *
 * <h2>key=value</h2>
 * Blanks around {@code =} and between pairs are skipped. A value is either single-quoted or runs
 * to the next blank; in both forms a backslash takes the next character literally ({@code \t} is
 * {@code t}). A repeated keyword keeps its last value; an empty value is a value.
 *
 * <h2>URI</h2>
 * {@code [user[:password]@][host][:port][,host[:port]...][/dbname][?k=v&...]}, percent-decoded
 * (a {@code %2F}-encoded host is a socket directory), {@code [...]} for IPv6, several hosts joined
 * with commas in {@code host} and {@code port}. Query parameters override the parts before them;
 * {@code ssl=true} means {@code sslmode=require}.
 *
 * <p>Anywhere, {@code requiressl=1} means {@code sslmode=require} and other {@code requiressl}
 * values {@code prefer}. Values are not checked here: libpq validates them when connecting.
 */
public final class ConninfoParser {

    private ConninfoParser() {
    }

    /**
     * The options the string sets, by keyword.
     *
     * A NUL character ends the string, as it ends the C string libpq receives: the native
     * backend cannot pass anything after it, so neither does this one.
     *
     * @throws ConninfoException with libpq's text for a syntax error or an unknown keyword
     */
    public static Map<String, String> parse(String string) throws ConninfoException {
        int nul = string.indexOf('\0');
        String conninfo = nul < 0 ? string : string.substring(0, nul);
        Map<String, String> options = new HashMap<>();
        int prefix = uriPrefixLength(conninfo);
        if (prefix > 0) {
            parseUri(conninfo, prefix, options);
        } else {
            parseKeywordValue(conninfo, options);
        }
        return options;
    }

    static int uriPrefixLength(String conninfo) {
        if (conninfo.startsWith("postgresql://")) {
            return "postgresql://".length();
        }
        if (conninfo.startsWith("postgres://")) {
            return "postgres://".length();
        }
        return 0;
    }

    // ---- key=value -------------------------------------------------------------------------

    private static void parseKeywordValue(String s, Map<String, String> options) throws ConninfoException {
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (isSpace(s.charAt(i))) {
                i++;
                continue;
            }
            int nameStart = i;
            int nameEnd = -1;
            while (i < n) {
                char c = s.charAt(i);
                if (c == '=') {
                    break;
                }
                if (isSpace(c)) {
                    nameEnd = i;
                    while (i < n && isSpace(s.charAt(i))) {
                        i++;
                    }
                    break;
                }
                i++;
            }
            String name = s.substring(nameStart, nameEnd < 0 ? i : nameEnd);
            if (i >= n || s.charAt(i) != '=') {
                throw new ConninfoException("missing \"=\" after \"" + name + "\" in connection info string");
            }
            i++;
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '\'') {
                i++;
                for (;;) {
                    if (i >= n) {
                        throw new ConninfoException("unterminated quoted string in connection info string");
                    }
                    char c = s.charAt(i);
                    if (c == '\\') {
                        i++;
                        if (i < n) {
                            value.append(s.charAt(i++));
                        }
                        continue;
                    }
                    if (c == '\'') {
                        i++;
                        break;
                    }
                    value.append(c);
                    i++;
                }
            } else {
                while (i < n) {
                    char c = s.charAt(i);
                    if (isSpace(c)) {
                        i++;
                        break;
                    }
                    if (c == '\\') {
                        i++;
                        if (i < n) {
                            value.append(s.charAt(i++));
                        }
                    } else {
                        value.append(c);
                        i++;
                    }
                }
            }
            store(options, name, value.toString(), false);
        }
    }

    /** C's isspace in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    // ---- URI ---------------------------------------------------------------------------------

    private static void parseUri(String uri, int prefix, Map<String, String> options) throws ConninfoException {
        int n = uri.length();
        int p = prefix;
        int look = p;
        while (look < n && uri.charAt(look) != '@' && uri.charAt(look) != '/') {
            look++;
        }
        if (look < n && uri.charAt(look) == '@') {
            int userEnd = p;
            while (uri.charAt(userEnd) != ':' && uri.charAt(userEnd) != '@') {
                userEnd++;
            }
            String user = uri.substring(p, userEnd);
            if (!user.isEmpty()) {
                storeDecoded(options, "user", user);
            }
            p = userEnd;
            if (uri.charAt(p) == ':') {
                int passwordStart = p + 1;
                while (uri.charAt(p) != '@') {
                    p++;
                }
                String password = uri.substring(passwordStart, p);
                if (!password.isEmpty()) {
                    storeDecoded(options, "password", password);
                }
            }
            p++; // past '@'
        }

        StringBuilder hosts = new StringBuilder();
        StringBuilder ports = new StringBuilder();
        char terminator;
        for (;;) {
            String host;
            if (p < n && uri.charAt(p) == '[') {
                int start = ++p;
                while (p < n && uri.charAt(p) != ']') {
                    p++;
                }
                if (p >= n) {
                    throw new ConninfoException("end of string reached when looking for matching \"]\" in IPv6 host "
                            + "address in URI: \"" + uri + "\"");
                }
                if (p == start) {
                    throw new ConninfoException("IPv6 host address may not be empty in URI: \"" + uri + "\"");
                }
                host = uri.substring(start, p);
                p++;
                if (p < n && ":/?,".indexOf(uri.charAt(p)) < 0) {
                    throw new ConninfoException("unexpected character \"" + uri.charAt(p) + "\" at position " + (p + 1)
                            + " in URI (expected \":\" or \"/\"): \"" + uri + "\"");
                }
            } else {
                int start = p;
                while (p < n && ":/?,".indexOf(uri.charAt(p)) < 0) {
                    p++;
                }
                host = uri.substring(start, p);
            }
            terminator = p < n ? uri.charAt(p) : '\0';
            hosts.append(host);
            if (terminator == ':') {
                int start = ++p;
                while (p < n && "/?,".indexOf(uri.charAt(p)) < 0) {
                    p++;
                }
                ports.append(uri, start, p);
                terminator = p < n ? uri.charAt(p) : '\0';
            }
            if (terminator != ',') {
                break;
            }
            p++;
            hosts.append(',');
            ports.append(',');
        }
        if (hosts.length() > 0) {
            storeDecoded(options, "host", hosts.toString());
        }
        if (ports.length() > 0) {
            storeDecoded(options, "port", ports.toString());
        }
        if (terminator != '\0' && terminator != '?') {
            int start = ++p;
            while (p < n && uri.charAt(p) != '?') {
                p++;
            }
            String dbname = uri.substring(start, p);
            terminator = p < n ? '?' : '\0';
            if (!dbname.isEmpty()) {
                storeDecoded(options, "dbname", dbname);
            }
        }
        if (terminator != '\0') {
            parseQuery(uri.substring(p + 1), options);
        }
    }

    private static void parseQuery(String params, Map<String, String> options) throws ConninfoException {
        int n = params.length();
        int p = 0;
        while (p < n) {
            int keywordStart = p;
            int keywordEnd = -1;
            int valueStart = -1;
            int valueEnd;
            for (;;) {
                char c = p < n ? params.charAt(p) : '\0';
                if (c == '=') {
                    if (valueStart >= 0) {
                        throw new ConninfoException("extra key/value separator \"=\" in URI query parameter: \""
                                + params.substring(keywordStart, keywordEnd) + "\"");
                    }
                    keywordEnd = p;
                    valueStart = ++p;
                } else if (c == '&' || c == '\0') {
                    valueEnd = p;
                    if (valueStart < 0) {
                        throw new ConninfoException("missing key/value separator \"=\" in URI query parameter: \""
                                + params.substring(keywordStart, p) + "\"");
                    }
                    if (c == '&') {
                        p++;
                    }
                    break;
                } else {
                    p++;
                }
            }
            String keyword = decode(params.substring(keywordStart, keywordEnd));
            String value = decode(params.substring(valueStart, valueEnd));
            if (keyword.equals("ssl") && value.equals("true")) {
                keyword = "sslmode";
                value = "require";
            }
            if (!storeIfKnown(options, keyword, value)) {
                throw new ConninfoException("invalid URI query parameter: \"" + keyword + "\"");
            }
        }
    }

    private static void storeDecoded(Map<String, String> options, String keyword, String raw) throws ConninfoException {
        store(options, keyword, decode(raw), false);
    }

    /** libpq's {@code conninfo_uri_decode}: %XX escapes to bytes (%00 forbidden), read as UTF-8. */
    static String decode(String s) throws ConninfoException {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b != '%') {
                out.write(b);
                continue;
            }
            int hi = i + 1 < utf8.length ? Character.digit(utf8[i + 1], 16) : -1;
            int lo = i + 2 < utf8.length ? Character.digit(utf8[i + 2], 16) : -1;
            if (hi < 0 || lo < 0) {
                throw new ConninfoException("invalid percent-encoded token: \"" + s + "\"");
            }
            int c = (hi << 4) | lo;
            if (c == 0) {
                throw new ConninfoException("forbidden value %00 in percent-encoded value: \"" + s + "\"");
            }
            out.write(c);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // ---- storing -------------------------------------------------------------------------------

    private static void store(Map<String, String> options, String keyword, String value, boolean ignored)
            throws ConninfoException {
        if (!storeIfKnown(options, keyword, value)) {
            throw new ConninfoException("invalid connection option \"" + keyword + "\"");
        }
    }

    /** libpq's {@code conninfo_storeval}, with the {@code requiressl} translation; false for an unknown keyword. */
    static boolean storeIfKnown(Map<String, String> options, String keyword, String value) {
        if (keyword.equals("requiressl")) {
            keyword = "sslmode";
            value = value.startsWith("1") ? "require" : "prefer";
        }
        if (Keyword.named(keyword) == null) {
            return false;
        }
        options.put(keyword, value);
        return true;
    }
}
