package io.pqbridge.pq.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgResultBuilder;
import io.pqbridge.pq.wire.message.backend.MalformedMessageException;
import io.pqbridge.pq.wire.message.backend.RowDescription;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The row description a connection keeps: the same bytes again give the same decoded
 * description and the same columns, other bytes never do, a description too large to keep is
 * decoded every time, and results made from shared columns stay independent of each other.
 */
class RecentColumnsTest {

    /** The body of a RowDescription (its type byte and length left out), at offset 3 of a larger array. */
    private static byte[] at3(BackendBytes message) {
        byte[] whole = message.toByteArray();
        byte[] padded = new byte[whole.length - 5 + 6];
        System.arraycopy(whole, 5, padded, 3, whole.length - 5);
        return padded;
    }

    private static RowDescription decode(RecentColumns recent, byte[] padded) throws MalformedMessageException {
        return recent.decode(padded, 3, padded.length - 6);
    }

    @Test
    void theSameBytesGiveTheSameColumns() throws MalformedMessageException {
        RecentColumns recent = new RecentColumns();
        RowDescription first = decode(recent, at3(new BackendBytes().rowDescription("a", "b")));
        PgResult columns = recent.columns(first);
        RowDescription again = decode(recent, at3(new BackendBytes().rowDescription("a", "b")));
        assertSame(first, again);
        assertSame(columns, recent.columns(again));
        assertEquals(2, columns.nfields());
        assertEquals("b", columns.fname(1));

        RowDescription other = decode(recent, at3(new BackendBytes().rowDescription("a", "c")));
        assertNotSame(first, other);
        assertEquals("c", recent.columns(other).fname(1));
        assertNotSame(first, decode(recent, at3(new BackendBytes().rowDescription("a", "b"))),
                "only the last description is kept");
    }

    @Test
    void aDescriptionTooLargeToKeepIsDecodedEachTime() throws MalformedMessageException {
        RecentColumns recent = new RecentColumns();
        String[] names = new String[RecentColumns.KEPT_BYTES / 19 + 1];
        Arrays.setAll(names, i -> "c" + i);
        byte[] large = at3(new BackendBytes().rowDescription(names));
        assertTrue(large.length - 6 > RecentColumns.KEPT_BYTES);
        RowDescription first = decode(recent, large);
        RowDescription again = decode(recent, large);
        assertNotSame(first, again);
        assertEquals(first, again);
        assertEquals(names.length, recent.columns(again).nfields());
    }

    @Test
    void resultsSharingColumnsStayApart() throws MalformedMessageException {
        RecentColumns recent = new RecentColumns();
        PgResult columns = recent.columns(decode(recent, at3(new BackendBytes().rowDescription("n"))));
        PgResult one = oneColumn(columns, "1");
        PgResult two = oneColumn(columns, "2", "3");
        assertEquals(1, one.ntuples());
        assertEquals("1", one.text(0, 0));
        assertEquals(2, two.ntuples());
        assertEquals("3", two.text(1, 0));
        assertEquals(0, columns.ntuples());
        assertEquals("n", one.fname(0));
    }

    /** A result of {@code columns}' one column, a row per value. */
    private static PgResult oneColumn(PgResult columns, String... values) {
        PgResultBuilder b = PgResult.builder(PgExecStatus.TUPLES_OK).fieldsOf(columns);
        for (String value : values) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            b.valueAt(b.rowBytes(bytes, 0, bytes.length), bytes.length);
        }
        return b.build();
    }
}
