package io.pqbridge.pq.wire.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Md5PasswordTest {

    @Test
    void matchesTheResponseLibpqSentOnTheWire() {
        // recorded between libpq 15 and PostgreSQL 15
        assertEquals("md521dfadabc3b728e24d3d2efe85a04553",
                Md5Password.response("lpq_md5", "md5pw", HexFormat.of().parseHex("b7b7953a")));
    }

    @Test
    void hashesNonAsciiNamesAndPasswordsAsUtf8() {
        // expected value computed with Python's hashlib over the UTF-8 bytes
        assertEquals("md54c6f476a9adf75484cd6980339892aff",
                Md5Password.response("jürgen", "pässword", new byte[] {1, 2, 3, 4}));
    }
}
