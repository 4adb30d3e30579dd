package io.pqbridge;

import io.pqbridge.adapt.PgTypes;
import io.pqbridge.pq.PgResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One column of a result ({@link Cursor#description()}, psycopg's {@code Column}): its name, its
 * type, and what the type modifier says of it, read as psycopg reads it: {@code varchar(42)} has
 * a display size of 42, {@code numeric(10,2)} a precision of 10 and a scale of 2,
 * {@code timestamptz(3)} a precision of 3. PostgreSQL sends no names or types for COPY TO STDOUT:
 * there the columns are named {@code column_1} ... {@code column_N} and their type code is 0.
 *
 * <p>Immutable; equal when every field is.
 */
public final class Column {

    private final String name;
    private final int typeCode;
    /** The type modifier ({@code PQfmod}), -1 for none. */
    private final int modifier;
    /** The type's size in bytes ({@code PQfsize}), negative for a variable-length type. */
    private final int size;

    Column(String name, int typeCode, int modifier, int size) {
        this.name = name;
        this.typeCode = typeCode;
        this.modifier = modifier;
        this.size = size;
    }

    /** {@return the column's name} */
    public String name() {
        return name;
    }

    /** {@return the type's OID (psycopg's {@code type_code})} */
    public int typeCode() {
        return typeCode;
    }

    /**
     * {@return the type as SQL writes it, with its modifier and {@code []} for an array:
     * {@code int4}, {@code varchar(42)}, {@code numeric(10,2)}, {@code date[]} (psycopg's
     * {@code type_display}); the OID in digits for a type that is not built in}
     */
    public String typeDisplay() {
        String display = PgTypes.name(typeCode);
        if (display == null) {
            return Integer.toString(typeCode);
        }
        boolean array = display.endsWith("[]");
        String base = (array ? display.substring(0, display.length() - 2) : display).replace("\"", "");
        int[] parts = switch (kind()) {
            case NUMERIC -> precision() == null ? null : new int[] {precision(), scale()};
            case CHARACTER, BIT -> displaySize() == null || displaySize() == 0 ? null : new int[] {displaySize()};
            case TIME -> precision() == null ? null : new int[] {precision()};
            case OTHER -> null;
        };
        StringBuilder text = new StringBuilder(base);
        if (parts != null) {
            text.append('(').append(parts[0]);
            for (int i = 1; i < parts.length; i++) {
                text.append(',').append(parts[i]);
            }
            text.append(')');
        }
        return array ? text.append("[]").toString() : text.toString();
    }

    /** {@return the declared length of a {@code char(n)}, {@code varchar(n)}, {@code bit(n)} or {@code varbit(n)}; else null} */
    public Integer displaySize() {
        return switch (kind()) {
            case CHARACTER -> modifier >= 0 ? modifier - 4 : null;
            case BIT -> modifier >= 0 ? modifier : null;
            default -> null;
        };
    }

    /** {@return the type's size in bytes for a fixed-size type ({@code int4}: 4); null for a variable-length one} */
    public Integer internalSize() {
        return size >= 0 ? size : null;
    }

    /** {@return the precision of a {@code numeric(p,s)} or of a time type's fractional seconds; else null} */
    public Integer precision() {
        return switch (kind()) {
            case NUMERIC -> modifier >= 0 ? modifier >> 16 : null;
            case TIME -> modifier >= 0 ? modifier & 0xFFFF : null;
            default -> null;
        };
    }

    /** {@return the scale of a {@code numeric(p,s)} (negative since PostgreSQL 15 allows it); else null} */
    public Integer scale() {
        if (kind() != Kind.NUMERIC || modifier < 0) {
            return null;
        }
        int scale = (modifier - 4) & 0xFFFF;
        return scale >= 0x400 ? scale - 0x800 : scale;
    }

    /** {@return always null: the protocol does not say (psycopg's {@code null_ok})} */
    public Boolean nullOk() {
        return null;
    }

    /** How a type's modifier reads (psycopg's type modifier classes). */
    private enum Kind { NUMERIC, CHARACTER, BIT, TIME, OTHER }

    private Kind kind() {
        int element = PgTypes.elementOid(typeCode);
        return switch (element != 0 ? element : typeCode) {
            case PgTypes.NUMERIC -> Kind.NUMERIC;
            case PgTypes.BPCHAR, PgTypes.VARCHAR -> Kind.CHARACTER;
            case BIT_OID, VARBIT_OID -> Kind.BIT;
            case PgTypes.TIME, PgTypes.TIMETZ, PgTypes.TIMESTAMP, PgTypes.TIMESTAMPTZ, PgTypes.INTERVAL -> Kind.TIME;
            default -> Kind.OTHER;
        };
    }

    private static final int BIT_OID = 1560;
    private static final int VARBIT_OID = 1562;

    @Override
    public boolean equals(Object other) {
        return other instanceof Column c && c.name.equals(name) && c.typeCode == typeCode && c.modifier == modifier
                && c.size == size;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, typeCode, modifier, size);
    }

    /** psycopg's repr: {@code Column['price', type: numeric(10,2) (oid: 1700)]}. */
    @Override
    public String toString() {
        return "Column['" + name + "', type: " + typeDisplay() + " (oid: " + typeCode + ")]";
    }

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
            out.add(new Column(name == null || name.isEmpty() ? "column_" + (i + 1) : name, result.ftype(i),
                    result.fmod(i), result.fsize(i)));
        }
        return Collections.unmodifiableList(out);
    }
}

