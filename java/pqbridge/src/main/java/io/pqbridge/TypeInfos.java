package io.pqbridge;

import io.pqbridge.types.CompositeInfo;
import io.pqbridge.types.EnumInfo;
import io.pqbridge.types.TypeInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what pqbridge needs to know about a type from the server's catalog (psycopg's
 * {@code TypeInfo.fetch}, {@code EnumInfo.fetch} and {@code CompositeInfo.fetch}), to register its conversions in an
 * {@link io.pqbridge.types.AdaptersMap}. Each lookup runs in a {@link Connection#transaction}
 * block, so the connection is left in the transaction state it was in (a savepoint inside an open
 * transaction).
 */
public final class TypeInfos {

    private TypeInfos() {
    }

    /**
     * {@return the type named {@code name} (as SQL writes it: {@code "hstore"},
     * {@code "myschema.mood"}, {@code "character varying"}), null when there is none}; its
     * {@link TypeInfo#name()} is the name as the server formats it, schema included when the type
     * is not on the search path
     *
     * @param conn an open connection
     * @param name the type's name
     */
    public static TypeInfo fetch(Connection conn, String name) {
        return conn.transactionResult(tx -> {
            Row row = conn.execute("SELECT t.oid, t.typarray, t.oid::regtype::text FROM pg_type t WHERE t.oid = to_regtype(%s)",
                    name).fetchOne();
            return row == null ? null : new TypeInfo(row.getString(2), (int) row.getLong(0), (int) row.getLong(1));
        });
    }

    /**
     * {@return the enum type named {@code name} and its labels in their order, null when there is
     * no type of that name}
     *
     * @param conn an open connection
     * @param name the type's name
     * @throws IllegalArgumentException when the type exists but is not an enum
     */
    public static EnumInfo fetchEnum(Connection conn, String name) {
        return conn.transactionResult(tx -> {
            TypeInfo type = fetch(conn, name);
            if (type == null) {
                return null;
            }
            Cursor cur = conn.execute("SELECT e.enumlabel FROM pg_type t LEFT JOIN pg_enum e ON e.enumtypid = t.oid"
                    + " WHERE t.oid = %s AND t.typtype = 'e' ORDER BY e.enumsortorder", (long) type.oid());
            List<String> labels = new ArrayList<>();
            for (Row row : cur) {
                labels.add(row.getString(0));
            }
            if (cur.rowCount() == 0) {
                throw new IllegalArgumentException("the type " + type.name() + " is not an enum");
            }
            labels.removeIf(java.util.Objects::isNull); // an enum without labels
            return new EnumInfo(type, labels);
        });
    }

    /**
     * {@return the composite type named {@code name} (a table's row type, or one made with
     * {@code CREATE TYPE ... AS (...)}) and its fields, null when there is no type of that name}
     *
     * @param conn an open connection
     * @param name the type's name
     * @throws IllegalArgumentException when the type exists but is not composite
     */
    public static CompositeInfo fetchComposite(Connection conn, String name) {
        return conn.transactionResult(tx -> {
            TypeInfo type = fetch(conn, name);
            if (type == null) {
                return null;
            }
            Row kind = conn.execute("SELECT typtype = 'c' FROM pg_type WHERE oid = %s", (long) type.oid()).fetchOne();
            if (kind == null || !kind.getBoolean(0)) {
                throw new IllegalArgumentException("the type " + type.name() + " is not a composite type");
            }
            List<String> names = new ArrayList<>();
            List<Integer> oids = new ArrayList<>();
            for (Row row : conn.execute("SELECT a.attname, a.atttypid FROM pg_type t JOIN pg_attribute a"
                    + " ON a.attrelid = t.typrelid WHERE t.oid = %s AND a.attnum > 0 AND NOT a.attisdropped"
                    + " ORDER BY a.attnum", (long) type.oid())) {
                names.add(row.getString(0));
                oids.add((int) row.getLong(1));
            }
            return new CompositeInfo(type, names, oids);
        });
    }
}
