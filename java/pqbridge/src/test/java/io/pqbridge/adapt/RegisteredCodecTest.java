package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.types.AdaptersMap;
import io.pqbridge.types.Dumper;
import io.pqbridge.types.Format;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A registry with registrations must change nothing for the types they do not concern: the
 * built-in codec itself is used (its literals, its exact transcoding for {@code --binary-wire}),
 * not a wrapper that would fall back to generic paths.
 */
class RegisteredCodecTest {

    private static final int SOME_ENUM = 987_654;

    private static AdaptContext withARegistration() {
        AdaptersMap map = new AdaptersMap(null);
        map.registerLoader(SOME_ENUM, Format.TEXT, data -> "loaded:" + new String(data, StandardCharsets.UTF_8));
        map.registerDumper(StringBuilder.class, Dumper.of(SOME_ENUM, Format.TEXT,
                v -> v.toString().getBytes(StandardCharsets.UTF_8)));
        return AdaptContext.DEFAULT.withAdapters(map);
    }

    @Test
    void untouchedTypesKeepTheirBuiltInCodec() {
        AdaptContext ctx = withARegistration();
        for (int oid : new int[] {PgTypes.INT4, PgTypes.NAME, PgTypes.TEXT, PgTypes.NUMERIC, PgTypes.INET, 1007}) {
            assertSame(Codecs.forOidOrUnknown(oid), Codecs.forOid(oid, ctx), "oid " + oid);
        }
        assertEquals("42", Queries.literal(42, ctx), "a bare number, as without registrations");
        assertEquals(" -1.5", Queries.literal(new java.math.BigDecimal("-1.5"), ctx));
        assertTrue(Codecs.forOid(SOME_ENUM, ctx) instanceof RegisteredCodec);
        assertEquals("'x'", Queries.literal(new StringBuilder("x"), ctx), "no cast to a type known by OID only");
    }

    @Test
    void transcodingIsTheBuiltInOneWithRegistrations() {
        byte[] longName = "n".repeat(64).getBytes(StandardCharsets.US_ASCII);
        byte[][] outs = new byte[2][];
        int i = 0;
        for (AdaptContext ctx : List.of(AdaptContext.DEFAULT, withARegistration())) {
            BinaryRowTranscoder t = BinaryRowTranscoder.create(new int[] {PgTypes.NAME, PgTypes.INT4}, ctx);
            t.beginRow();
            t.field(longName, 0, longName.length);
            t.field("12".getBytes(StandardCharsets.US_ASCII), 0, 2);
            t.endRow();
            outs[i++] = Arrays.copyOf(t.array(), t.size());
        }
        assertArrayEquals(outs[0], outs[1]);
    }
}
