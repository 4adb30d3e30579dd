package io.pqbridge;

/**
 * One column of a result ({@link Cursor#description()}, psycopg's {@code Column}): its name and
 * its type OID. PostgreSQL sends no names or types for COPY TO STDOUT: there the columns are named
 * {@code column_1} ... {@code column_N} and their type OID is 0.
 *
 * @param name the column's name
 * @param typeOid the column's type OID
 */
public record Column(String name, int typeOid) {
}
