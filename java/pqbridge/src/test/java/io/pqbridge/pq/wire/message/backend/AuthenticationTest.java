package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticationTest {

    @Test
    void okHasNoData() throws Exception {
        Authentication ok = (Authentication) decode('R', body().int32(0));
        assertEquals(Authentication.OK, ok.code());
        assertEquals(0, ok.data().length);
    }

    @Test
    void md5CarriesItsSalt() throws Exception {
        byte[] salt = {(byte) 0xb7, (byte) 0xb7, (byte) 0x95, 0x3a};
        Authentication md5 = (Authentication) decode('R', body().int32(5).bytes(salt, 0, 4));
        assertEquals(Authentication.MD5_PASSWORD, md5.code());
        assertArrayEquals(salt, md5.md5Salt());
    }

    @Test
    void saslListsItsMechanisms() throws Exception {
        Authentication sasl = (Authentication) decode('R',
                body().int32(10).cstring("SCRAM-SHA-256-PLUS").cstring("SCRAM-SHA-256").int8(0));
        assertEquals(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"), sasl.saslMechanisms());
    }

    @Test
    void saslContinueKeepsTheServerMessage() throws Exception {
        byte[] data = "r=abc,s=c2FsdA==,i=4096".getBytes(StandardCharsets.US_ASCII);
        Authentication next = (Authentication) decode('R', body().int32(11).bytes(data, 0, data.length));
        assertEquals(Authentication.SASL_CONTINUE, next.code());
        assertArrayEquals(data, next.data());
    }

    @Test
    void aTruncatedRequestIsMalformed() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> decode('R', body().int16(0)));
        assertEquals("insufficient data in \"R\" message", e.getMessage());
    }
}
