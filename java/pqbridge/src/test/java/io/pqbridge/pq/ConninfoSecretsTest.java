package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pqbridge.pq.wire.conninfo.ConnectionOptions;
import org.junit.jupiter.api.Test;

/** Passwords never appear in text pqbridge produces: generated toString()s and echoed connection strings. */
class ConninfoSecretsTest {

    @Test
    void optionsShowTheirPasswordsMasked() {
        assertEquals("PgConninfoOption[keyword=password, value=********]",
                new PgConninfoOption("password", "hunter2").toString());
        assertEquals("PgConninfoOption[keyword=sslpassword, value=********]",
                new PgConninfoOption("sslpassword", "hunter2").toString());
        assertEquals("PgConninfoOption[keyword=user, value=hunter2]", new PgConninfoOption("user", "hunter2").toString());
        String host = new ConnectionOptions.Host(ConnectionOptions.HostType.NAME, "db", null, "5432", "hunter2").toString();
        assertFalse(host.contains("hunter2"), host);
    }

    @Test
    void everyEchoOfAConnectionStringIsMasked() {
        assertEquals("bad: \"postgresql://u:********@h/d\"",
                ConninfoSecrets.mask("bad: \"postgresql://u:p%40ss@h/d\"", "postgresql://u:p%40ss@h/d"));
        assertEquals("extra key/value separator \"=\" in URI query parameter: \"password=********\"",
                ConninfoSecrets.mask("extra key/value separator \"=\" in URI query parameter: \"password=a=b\"",
                        "postgres://h/d?sslmode=disable&password=a=b"));
        assertEquals("x password=******** y", ConninfoSecrets.mask("x password='it\\'s' y", "password='it\\'s' host=h"));
        assertEquals("x password=******** y", ConninfoSecrets.mask("x password=abc y", "host=h  password = abc"));
        assertEquals("a password-less text stays", ConninfoSecrets.mask("a password-less text stays", "host=h"));
        assertEquals("user a", ConninfoSecrets.mask("user a", "user=a password=a"), "a value is masked only where it is a password");
    }
}
