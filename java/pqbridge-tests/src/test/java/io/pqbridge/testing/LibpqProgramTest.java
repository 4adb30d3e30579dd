package io.pqbridge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A recorded or replayed program's environment: the conninfo's options become PG* variables, an
 * inherited variable that would take the program past the recorder goes, a credential stays.
 */
class LibpqProgramTest {

    @Test
    void theConninfoWinsAndNothingInheritedLeadsElsewhere() {
        Map<String, String> env = new HashMap<>(Map.of("PGHOST", "/var/run/postgresql", "PGHOSTADDR", "10.0.0.1",
                "PGSERVICE", "prod", "PGSSLNEGOTIATION", "direct", "PGPASSWORD", "secret", "PGAPPNAME", "mine",
                "PGUSER", "someone", "PATH", "/usr/bin"));
        String conninfo = "host=127.0.0.1 port=5999 user=test dbname=postgres options='-c work_mem=8MB'"
                + " sslmode=disable gssencmode=disable";
        LibpqProgram.pointAt(env, conninfo);
        assertEquals("127.0.0.1", env.get("PGHOST"));
        assertEquals("5999", env.get("PGPORT"));
        assertEquals("test", env.get("PGUSER"));
        assertEquals("postgres", env.get("PGDATABASE"));
        assertEquals("-c work_mem=8MB", env.get("PGOPTIONS"));
        assertEquals("disable", env.get("PGSSLMODE"));
        assertEquals("disable", env.get("PGGSSENCMODE"));
        assertFalse(env.containsKey("PGHOSTADDR"), env::toString);
        assertFalse(env.containsKey("PGSERVICE"), env::toString);
        assertFalse(env.containsKey("PGSSLNEGOTIATION"), env::toString);
        assertEquals("secret", env.get("PGPASSWORD"));
        assertEquals("mine", env.get("PGAPPNAME"));
        assertEquals("/usr/bin", env.get("PATH"));
        assertEquals(conninfo, env.get(LibpqProgram.CONNINFO_VARIABLE));
    }
}
