package io.pqbridge.pq.wire.conninfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** libpq's conninfo syntax and texts (reference sections 6.1 and 6.2). */
class ConninfoParserTest {

    private static Map<String, String> parse(String s) throws ConninfoException {
        return ConninfoParser.parse(s);
    }

    private static String error(String s) {
        return assertThrows(ConninfoException.class, () -> parse(s)).getMessage();
    }

    @Test
    void keywordValuePairsWithBlanksQuotesAndEscapes() throws Exception {
        assertEquals(Map.of("host", "h", "port", "5", "dbname", "a b"), parse("  host = h port=5\tdbname='a b'  "));
        assertEquals("it's", parse("dbname='it\\'s'").get("dbname"));
        assertEquals("a\\b", parse("dbname=a\\\\b").get("dbname"));
        assertEquals("t", parse("dbname=\\t").get("dbname"), "no C escapes: \\t is t");
        assertEquals("a b", parse("dbname=a\\ b").get("dbname"), "a backslash escapes a blank outside quotes too");
        assertEquals("", parse("dbname=").get("dbname"));
        assertEquals("", parse("dbname=''").get("dbname"));
        assertEquals("second", parse("dbname=first dbname=second").get("dbname"), "the last one wins");
        assertEquals(Map.of(), parse(""));
    }

    @Test
    void keywordValueErrors() {
        assertEquals("invalid connection option \"foo\"", error("foo=1"));
        assertEquals("missing \"=\" after \"host\" in connection info string", error("host localhost"));
        assertEquals("missing \"=\" after \"host\" in connection info string", error("host"));
        assertEquals("unterminated quoted string in connection info string", error("dbname='abc"));
        assertEquals("invalid connection option \"\"", error("=value"));
        assertEquals("invalid connection option \"oauth_scopes\"", error("oauth_scopes=x"),
                "a near miss of a libpq 18 keyword");
        assertEquals("missing \"=\" after \"mysql://h/db\" in connection info string", error("mysql://h/db"));
    }

    @Test
    void requiresslTranslatesToSslmode() throws Exception {
        assertEquals("require", parse("requiressl=1").get("sslmode"));
        assertEquals("prefer", parse("requiressl=0").get("sslmode"));
    }

    @Test
    void uris() throws Exception {
        assertEquals(Map.of("user", "u", "password", "p", "host", "h", "port", "5433", "dbname", "db"),
                parse("postgresql://u:p@h:5433/db"));
        assertEquals(Map.of("host", "h1,h2,h3", "port", "1,2,"), parse("postgres://h1:1,h2:2,h3"));
        assertEquals("/var/run/postgresql", parse("postgresql://%2Fvar%2Frun%2Fpostgresql/db").get("host"));
        assertEquals("fe80::1%eth0", parse("postgresql://[fe80::1%25eth0]:5432/db").get("host"));
        assertEquals(Map.of("dbname", "db", "host", "/dir"), parse("postgresql:///db?host=/dir"));
        assertEquals(Map.of("dbname", "other", "host", "h"), parse("postgresql://h/db?dbname=other"));
        assertEquals("require", parse("postgresql://h/db?ssl=true").get("sslmode"));
        assertEquals("require", parse("postgresql://h/db?requiressl=1").get("sslmode"));
        assertEquals("db#frag", parse("postgresql://h/db#frag").get("dbname"), "no fragment handling");
        assertEquals("port", parse("postgresql://h:port").get("port"), "ports are checked when connecting");
        assertEquals(Map.of(), parse("postgresql://"));
        assertEquals("é", parse("postgresql://h/%C3%A9").get("dbname"), "percent-decoded bytes are UTF-8");
    }

    @Test
    void uriErrors() {
        assertEquals("invalid URI query parameter: \"foo\"", error("postgresql://h/db?foo=1"));
        assertEquals("missing key/value separator \"=\" in URI query parameter: \"sslmode\"",
                error("postgresql://h/db?sslmode"));
        assertEquals("extra key/value separator \"=\" in URI query parameter: \"sslmode\"",
                error("postgresql://h/db?sslmode=a=b"));
        assertEquals("invalid percent-encoded token: \"d%zzb\"", error("postgresql://h/d%zzb"));
        assertEquals("forbidden value %00 in percent-encoded value: \"d%00b\"", error("postgresql://h/d%00b"));
        assertEquals("end of string reached when looking for matching \"]\" in IPv6 host address in URI: "
                + "\"postgresql://[::1/db\"", error("postgresql://[::1/db"));
        assertEquals("IPv6 host address may not be empty in URI: \"postgresql://[]/db\"", error("postgresql://[]/db"));
        assertEquals("unexpected character \"x\" at position 19 in URI (expected \":\" or \"/\"): "
                + "\"postgresql://[::1]x\"", error("postgresql://[::1]x"));
    }
}
