package io.pqbridge.pq.wire.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SaslPrepTest {

    @Test
    void preparesRfc4013sExamples() {
        assertEquals("IX", SaslPrep.prepare("I\u00ADX"), "soft hyphen mapped to nothing");
        assertEquals("user", SaslPrep.prepare("user"));
        assertEquals("USER", SaslPrep.prepare("USER"), "case is kept");
        assertEquals("a", SaslPrep.prepare("\u00AA"), "NFKC");
        assertEquals("IX", SaslPrep.prepare("\u2168"), "NFKC");
        assertNull(SaslPrep.prepare("\u0627\u0031"), "RandALCat string must end with RandALCat");
    }

    @Test
    void keepsPostgresqlsAsciiShortcut() {
        // RFC 4013 forbids U+0007; pg_saslprep returns any ASCII password unchanged
        assertEquals("\u0007bell", SaslPrep.prepare("\u0007bell"));
    }

    @Test
    void mapsNonAsciiSpacesAndRejectsWhatPostgresqlRejects() {
        assertEquals("a b", SaslPrep.prepare("a\u00A0b"));
        assertEquals("a b", SaslPrep.prepare("a\u3000b"));
        assertNull(SaslPrep.prepare("\u00AD"), "empty after mapping");
        assertNull(SaslPrep.prepare("pw\u0080"), "C.2.2 control character");
        assertNull(SaslPrep.prepare("pw\uE000"), "C.3 private use");
        assertNull(SaslPrep.prepare("pw\u0221"), "A.1 unassigned in Unicode 3.2");
        assertNull(SaslPrep.prepare("\u05D0a\u05D0"), "RandALCat with LCat");
        assertEquals("\u05D0\u05D1", SaslPrep.prepare("\u05D0\u05D1"));
        assertNull(SaslPrep.prepare("pw\uD800"), "a lone surrogate is not UTF-8");
    }

    @Test
    void usesTheRawPasswordWhereSaslPrepFails() {
        assertArrayEquals("pw\uE000".getBytes(StandardCharsets.UTF_8), SaslPrep.passwordBytes("pw\uE000"));
        assertArrayEquals("IX".getBytes(StandardCharsets.UTF_8), SaslPrep.passwordBytes("\u2168"));
    }

    @Test
    void tablesHaveTheSizesRfc3454Gives() {
        // guards against a truncated regeneration of StringprepTables
        assertTrue(SaslPrep.in(StringprepTables.UNASSIGNED, 0x0221));
        assertTrue(SaslPrep.in(StringprepTables.UNASSIGNED, 0xEFFFD));
        assertTrue(SaslPrep.in(StringprepTables.L_CAT, 0x10FFFD));
        assertTrue(SaslPrep.in(StringprepTables.PROHIBITED_OUTPUT, 0x10FFFF));
        assertEquals(396, StringprepTables.UNASSIGNED.length / 2);
        assertEquals(360, StringprepTables.L_CAT.length / 2);
        assertEquals(34, StringprepTables.RAND_AL_CAT.length / 2);
    }
}
