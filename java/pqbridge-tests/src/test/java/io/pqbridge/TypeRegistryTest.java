package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.errors.DataException;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.types.AdaptersMap;
import io.pqbridge.types.Dumper;
import io.pqbridge.types.EnumInfo;
import io.pqbridge.types.Enums;
import io.pqbridge.types.Format;
import io.pqbridge.types.TypeInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The type registry (psycopg's {@code AdaptersMap}): an application's dumpers and loaders used by
 * execute, results, COPY {@code setTypes} / {@code writeRow} / {@code readRow} and arrays, in text
 * and binary, per connection before global before built-in; {@code TypeInfos} reading the
 * catalog; enums mapped to Java enums.
 */
@Tag("server-matrix")
class TypeRegistryTest {

    record Point(double x, double y) {
    }

    enum Mood { SAD, OK, HAPPY }

    private static final int POINT = 600;

    /** point in text, {@code (x,y)}, and binary, two float8. */
    private static void registerPoint(AdaptersMap adapters, Format dumpFormat) {
        adapters.registerDumper(Point.class, new Dumper<Point>() {
            @Override
            public int oid() {
                return POINT;
            }

            @Override
            public Format format() {
                return dumpFormat;
            }

            @Override
            public byte[] dump(Point p) {
                return dumpFormat == Format.TEXT ? ("(" + p.x() + "," + p.y() + ")").getBytes(StandardCharsets.UTF_8)
                        : ByteBuffer.allocate(16).putDouble(p.x()).putDouble(p.y()).array();
            }
        });
        adapters.registerLoader(POINT, Format.TEXT, data -> {
            String[] xy = new String(data, StandardCharsets.UTF_8).replaceAll("[()]", "").split(",");
            return new Point(Double.parseDouble(xy[0]), Double.parseDouble(xy[1]));
        });
        adapters.registerLoader(POINT, Format.BINARY, data -> {
            ByteBuffer b = ByteBuffer.wrap(data);
            return new Point(b.getDouble(), b.getDouble());
        });
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aConnectionsDumpersAndLoadersServeEveryPath(PgBackend backend) throws Exception {
        for (Format dumpFormat : Format.values()) {
            try (Connection conn = Db.connect(backend); Connection plain = Db.connect(backend)) {
                registerPoint(conn.adapters(), dumpFormat);
                Point p = new Point(1.5, -2);
                for (boolean binary : new boolean[] {false, true}) {
                    Row row = conn.cursor(binary).execute("SELECT %s, %s::point[], NULL::point", p,
                            List.of(p, new Point(0, 0))).fetchOne();
                    assertEquals(p, row.get(0), "format " + dumpFormat + ", binary results " + binary);
                    assertEquals(List.of(p, new Point(0, 0)), row.get(1), "an array of a registered type");
                    assertNull(row.get(2));
                }
                assertEquals("(1.5,-2)", plain.execute("SELECT '(1.5,-2)'::point").fetchOne().get(0),
                        "another connection does not see the registration");
                assertEquals("(1.5,-2)", conn.execute("SELECT %s::text", p).fetchOne().get(0));

                conn.execute("CREATE TEMP TABLE reg_points (p point, ps point[])");
                for (String format : new String[] {"", " (FORMAT binary)"}) {
                    conn.execute("TRUNCATE reg_points");
                    if (!format.isEmpty() && dumpFormat == Format.TEXT) {
                        continue; // a text dumper cannot fill a binary COPY: checked below
                    }
                    if (format.isEmpty() && dumpFormat == Format.BINARY) {
                        continue;
                    }
                    conn.cursor().copy("COPY reg_points FROM STDIN" + format, copy -> {
                        copy.setTypes("point", "point[]");
                        copy.writeRow(p, List.of(p));
                        copy.writeRow(null, null);
                    });
                    List<Object[]> read = new ArrayList<>();
                    conn.cursor().copy("COPY reg_points TO STDOUT" + format, copy -> {
                        copy.setTypes("point", "point[]");
                        for (Object[] r; (r = copy.readRow()) != null;) {
                            read.add(r);
                        }
                    });
                    assertArrayEquals(new Object[] {p, List.of(p)}, read.get(0), "COPY" + format);
                    assertArrayEquals(new Object[] {null, null}, read.get(1));
                }
                if (dumpFormat == Format.TEXT) {
                    Exception e = assertThrows(Exception.class, () -> conn.cursor().copy(
                            "COPY reg_points FROM STDIN (FORMAT binary)", copy -> {
                                copy.setTypes("point", "point[]");
                                copy.writeRow(p, null);
                            }));
                    assertTrue(e.getMessage().contains("register a binary dumper too"), e.getMessage());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void connectionBeforeGlobalBeforeBuiltIn(PgBackend backend) {
        try (Connection conn = Db.autocommit(backend); Connection other = Db.autocommit(backend)) {
            String type = Db.table("reg_enum");
            conn.execute("CREATE TYPE " + type + " AS ENUM ('x')"); // a domain would be reported as its base type
            try {
                TypeInfo info = TypeInfos.fetch(conn, type);
                assertEquals(type, info.name());
                assertTrue(info.oid() > 0);
                assertNull(TypeInfos.fetch(conn, "no_such_type_" + type));
                assertEquals(TransactionStatus.IDLE, Db.status(conn), "the lookup left no transaction open");
                AdaptersMap.global().registerLoader(info.oid(), Format.TEXT, data -> "global:" + new String(data,
                        StandardCharsets.UTF_8));
                conn.adapters().registerLoader(info.oid(), Format.TEXT, data -> "conn:" + new String(data,
                        StandardCharsets.UTF_8));
                String select = "SELECT 'x'::" + type;
                assertEquals("conn:x", conn.execute(select).fetchOne().get(0));
                assertEquals("global:x", other.execute(select).fetchOne().get(0));
                assertEquals("x", other.execute("SELECT 'x'::text").fetchOne().get(0), "built-ins untouched");
            } finally {
                conn.execute("DROP TYPE " + type);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void enumsMapToJavaEnumsInEveryPathAndFormat(PgBackend backend) throws Exception {
        String type = Db.table("mood");
        try (Connection conn = Db.autocommit(backend)) {
            conn.execute("CREATE TYPE " + type + " AS ENUM ('sad', 'ok', 'happy')");
            try {
                EnumInfo info = TypeInfos.fetchEnum(conn, type);
                assertEquals(List.of("sad", "ok", "happy"), info.labels());
                IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                        () -> Enums.register(info, conn.adapters(), Thread.State.class));
                assertTrue(bad.getMessage().contains("label 'sad' has no constant"), bad.getMessage());
                assertThrows(IllegalArgumentException.class, () -> TypeInfos.fetchEnum(conn, "int4"));
                Enums.register(info, conn.adapters(), Mood.class);

                conn.execute("CREATE TEMP TABLE moods (m " + type + ", ms " + type + "[])");
                conn.execute("INSERT INTO moods VALUES (%s, %s), (NULL, %s)", Mood.HAPPY, List.of(Mood.SAD, Mood.OK),
                        new Mood[] {Mood.OK, null});
                for (boolean binary : new boolean[] {false, true}) {
                    List<Row> rows = conn.cursor(binary).execute("SELECT m, ms FROM moods ORDER BY m NULLS LAST").fetchAll();
                    assertEquals(Mood.HAPPY, rows.get(0).get(0));
                    assertEquals(List.of(Mood.SAD, Mood.OK), rows.get(0).get(1));
                    assertNull(rows.get(1).get(0));
                    assertEquals(Arrays.asList(Mood.OK, null), rows.get(1).get(1));
                }
                assertEquals(1L, conn.execute("SELECT count(*) FROM moods WHERE m = %s", Mood.HAPPY).fetchOne().get(0));
                for (String format : new String[] {"", " (FORMAT binary)"}) {
                    conn.execute("TRUNCATE moods");
                    conn.cursor().copy("COPY moods FROM STDIN" + format, copy -> {
                        copy.setTypes(type, type + "[]");
                        copy.writeRow(Mood.OK, List.of(Mood.HAPPY));
                    });
                    Object[] back = readOne(conn, format, type);
                    assertArrayEquals(new Object[] {Mood.OK, List.of(Mood.HAPPY)}, back, "COPY" + format);
                }
                conn.execute("ALTER TYPE " + type + " ADD VALUE 'ecstatic'");
                conn.execute("INSERT INTO moods VALUES ('ecstatic', NULL)");
                DataException e = assertThrows(DataException.class,
                        () -> conn.execute("SELECT m FROM moods WHERE m = 'ecstatic'").fetchOne());
                assertTrue(e.getMessage().startsWith("the label 'ecstatic' of the enum " + type + " has no constant"),
                        e.getMessage());
            } finally {
                conn.execute("DROP TABLE IF EXISTS moods");
                conn.execute("DROP TYPE " + type);
            }
        }
    }

    private static Object[] readOne(Connection conn, String format, String type) throws Exception {
        Object[][] out = new Object[1][];
        conn.cursor().copy("COPY moods TO STDOUT" + format, copy -> {
            copy.setTypes(type, type + "[]");
            out[0] = copy.readRow();
            while (copy.readRow() != null) {
                continue;
            }
        });
        return out[0];
    }

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void aRegistrationReachesLiteralsAndTheDumpersOfSubclasses(PgBackend backend) {
        try (Connection conn = Db.connect(backend)) {
            registerPoint(conn.adapters(), Format.TEXT);
            assertEquals("'(1.0,2.0)'::point", io.pqbridge.sql.Sql.quote(new Point(1, 2), conn));
            Map<String, Object> named = Map.of("p", new Point(3, 4));
            assertEquals(new Point(3, 4), conn.execute("SELECT %(p)s", named).fetchOne().get(0));
        }
    }
}
