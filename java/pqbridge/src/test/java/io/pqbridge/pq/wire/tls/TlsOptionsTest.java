package io.pqbridge.pq.wire.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlsOptionsTest {

    private static final Path HOME = Path.of("/home/someone");

    @Test
    void appliesLibpqsDefaults() {
        TlsOptions options = TlsOptions.fromConninfo(Map.of(), HOME);
        assertEquals(SslMode.PREFER, options.sslMode());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), options.enabledProtocols());
        assertEquals(HOME.resolve(".postgresql/root.crt"), options.rootCertFile());
        assertEquals(HOME.resolve(".postgresql/root.crl"), options.crlFile());
        assertEquals(HOME.resolve(".postgresql/postgresql.crt"), options.clientCertFile());
        assertEquals(HOME.resolve(".postgresql/postgresql.key"), options.clientKeyFile());
        assertEquals(true, options.sendsServerName());
    }

    @Test
    void emptyFileOptionsMeanTheDefaultFiles() {
        TlsOptions options = TlsOptions.fromConninfo(Map.of("sslrootcert", "", "sslcert", "", "sslkey", ""), HOME);
        assertEquals(HOME.resolve(".postgresql/root.crt"), options.rootCertFile());
        assertEquals(HOME.resolve(".postgresql/postgresql.crt"), options.clientCertFile());
        assertEquals(HOME.resolve(".postgresql/postgresql.key"), options.clientKeyFile());
    }

    @Test
    void aCrlDirectoryReplacesTheDefaultCrlFile() {
        TlsOptions options = TlsOptions.fromConninfo(Map.of("sslcrldir", "/crls"), HOME);
        assertNull(options.crlFile());
        assertEquals(Path.of("/crls"), options.crlDirectory());
    }

    @Test
    void withoutAHomeThereAreNoDefaultFiles() {
        TlsOptions options = TlsOptions.fromConninfo(Map.of(), null);
        assertNull(options.rootCertFile());
        assertNull(options.clientCertFile());
        assertNull(options.crlFile());
    }

    @ParameterizedTest(name = "min={0} max={1}")
    @CsvSource(nullValues = "null", value = {
        "null,    null,    TLSv1.2 TLSv1.3",
        "TLSv1,   TLSv1.1, TLSv1 TLSv1.1",
        "tlsv1.3, null,    TLSv1.3",
        "'',      TLSv1.2, TLSv1 TLSv1.1 TLSv1.2",
        "TLSv1.2, '',      TLSv1.2 TLSv1.3",
    })
    void enablesTheRangeOfVersions(String min, String max, String enabled) {
        Map<String, String> values = new HashMap<>();
        values.put("ssl_min_protocol_version", min);
        values.put("ssl_max_protocol_version", max);
        assertEquals(List.of(enabled.split(" ")), TlsOptions.fromConninfo(values, HOME).enabledProtocols());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "sslmode                  | bogus    | invalid sslmode value: \"bogus\"",
        "sslmode                  | Require  | invalid sslmode value: \"Require\"",
        "sslmode                  | ''       | invalid sslmode value: \"\"",
        "ssl_min_protocol_version | TLSv1.4  | invalid \"ssl_min_protocol_version\" value: \"TLSv1.4\"",
        "ssl_max_protocol_version | SSLv3    | invalid \"ssl_max_protocol_version\" value: \"SSLv3\"",
        "ssl_max_protocol_version | TLSv1.1  | invalid SSL protocol version range",
        "ssl_max_protocol_version | TLSv1    | invalid SSL protocol version range",
    })
    void refusesInvalidValuesWithLibpqsTexts(String keyword, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsOptions.fromConninfo(Map.of(keyword, value), HOME));
        assertEquals(message, e.getMessage());
    }

    @Test
    void sniIsOffUnlessTheValueStartsWithOne() {
        assertEquals(false, TlsOptions.fromConninfo(Map.of("sslsni", "0"), HOME).sendsServerName());
        assertEquals(false, TlsOptions.fromConninfo(Map.of("sslsni", ""), HOME).sendsServerName());
        assertEquals(true, TlsOptions.fromConninfo(Map.of("sslsni", "1"), HOME).sendsServerName());
    }
}
