package io.pqbridge;

import io.pqbridge.pq.PgResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One column of a result ({@link Cursor#description()}, psycopg's {@code Column}): its name and
 * its type OID. PostgreSQL sends no names or types for COPY TO STDOUT: there the columns are named
 * {@code column_1} ... {@code column_N} and their type OID is 0.
 *
 * @param name the column's name
 * @param typeOid the column's type OID
 */
public record Column(String name, int typeOid) {

    /** Same names, types and formats, column by column. */
    static boolean sameColumns(PgResult a, PgResult b) {
        int n = a.nfields();
        if (n != b.nfields()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (a.ftype(i) != b.ftype(i) || a.fformat(i) != b.fformat(i)
                    || !Objects.equals(a.fname(i), b.fname(i))) {
                return false;
            }
        }
        return true;
    }

    /** The columns of a result as the facade shows them: an unnamed one is {@code column_<n>}. */
    static List<Column> listOf(PgResult result) {
        int n = result.nfields();
        List<Column> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = result.fname(i);
            out.add(new Column(name == null || name.isEmpty() ? "column_" + (i + 1) : name, result.ftype(i)));
        }
        return Collections.unmodifiableList(out);
    }
}

