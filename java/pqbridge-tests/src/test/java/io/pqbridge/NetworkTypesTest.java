package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.types.Cidr;
import io.pqbridge.types.Inet;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code inet} and {@code cidr} (psycopg's {@code ip_address} / {@code ip_interface} /
 * {@code ip_network}): {@link InetAddress}, {@link Inet} and {@link Cidr} both ways, in text and
 * binary, in parameters, results, arrays and COPY, checked against the server's own text.
 */
@Tag("server-matrix")
class NetworkTypesTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static InetAddress mapped() throws Exception {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        b[12] = 1;
        b[13] = 2;
        b[14] = 3;
        b[15] = 4;
        return Inet6Address.getByAddress(null, b, null);
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void valuesRoundTripInBothFormatsAsTheServerReadsThem(PgBackend backend) throws Exception {
        Object[][] cases = {
            {ip("192.168.0.1"), "inet", "192.168.0.1"},
            {ip("::1"), "inet", "::1"},
            {ip("2001:db8::ff00:42:8329"), "inet", "2001:db8::ff00:42:8329"},
            {mapped(), "inet", "::ffff:1.2.3.4"},
            {new Inet(ip("192.168.0.1"), 24), "inet", "192.168.0.1/24"},
            {new Inet(ip("2001:db8::1"), 64), "inet", "2001:db8::1/64"},
            {new Cidr(ip("10.0.0.0"), 8), "cidr", "10.0.0.0/8"},
            {new Cidr(ip("2001:db8::"), 32), "cidr", "2001:db8::/32"},
            {new Cidr(ip("0.0.0.0"), 0), "cidr", "0.0.0.0/0"},
        };
        try (Connection conn = Db.connect(backend)) {
            for (Object[] c : cases) {
                for (boolean binary : new boolean[] {false, true}) {
                    // format('%s') uses the type's output function (a ::text cast would always show the mask)
                    Row row = conn.cursor(binary).execute("SELECT format('%%s', %s::" + c[1] + "), %s::" + c[1] + ", %s::"
                            + c[1] + "[]", c[0], c[0], Arrays.asList(c[0], null)).fetchOne();
                    String what = c[2] + (binary ? " binary" : " text");
                    assertEquals(c[2], row.get(0), what + ": the server read what was meant");
                    assertEquals(c[0], row.get(1), what);
                    assertEquals(Arrays.asList(c[0], null), row.get(2), what);
                }
                Object literal = conn.execute(new io.pqbridge.sql.Sql("SELECT format('%s', {})").format(c[0])).fetchOne().get(0);
                assertEquals(c[2], literal, "literal of " + c[2]);
            }
            assertNull(conn.execute("SELECT NULL::inet").fetchOne().get(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void copyWithPinnedTypesInBothFormats(PgBackend backend) throws Exception {
        try (Connection conn = Db.connect(backend)) {
            conn.execute("CREATE TEMP TABLE net (a inet, n cidr, l inet[])");
            Object[] row = {new Inet(ip("10.1.2.3"), 16), new Cidr(ip("10.1.0.0"), 16), List.of(ip("::1"), ip("1.1.1.1"))};
            for (String format : new String[] {"", " (FORMAT binary)"}) {
                conn.execute("TRUNCATE net");
                conn.cursor().copy("COPY net FROM STDIN" + format, copy -> {
                    copy.setTypes("inet", "cidr", "inet[]");
                    copy.writeRow(row);
                    copy.writeRow(null, null, null);
                });
                List<Object[]> back = new ArrayList<>();
                conn.cursor().copy("COPY net TO STDOUT" + format, copy -> {
                    copy.setTypes("inet", "cidr", "inet[]");
                    for (Object[] r; (r = copy.readRow()) != null;) {
                        back.add(r);
                    }
                });
                assertArrayEquals(row, back.get(0), "COPY" + format);
                assertArrayEquals(new Object[3], back.get(1));
            }
            assertEquals("10.1.2.3/16", conn.execute("SELECT a::text FROM net").fetchOne().get(0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void wrongValuesAreRefusedWithTheType(PgBackend backend) throws Exception {
        try (Connection conn = Db.connect(backend)) {
            assertThrows(IllegalArgumentException.class, () -> new Inet(ip("1.2.3.4"), 33));
            assertThrows(IllegalArgumentException.class, () -> new Cidr(ip("::"), 129));
            conn.execute("CREATE TEMP TABLE net2 (n cidr)");
            ProgrammingException wrong = assertThrows(ProgrammingException.class,
                    () -> conn.cursor().copy("COPY net2 FROM STDIN", copy -> {
                        copy.setTypes("cidr");
                        copy.writeRow(ip("10.0.0.1"));
                    }));
            assertTrue(wrong.getMessage().contains("expected an io.pqbridge.types.Cidr"), wrong.getMessage());
        }
    }
}
