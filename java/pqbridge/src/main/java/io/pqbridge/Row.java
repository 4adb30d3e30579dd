package io.pqbridge;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * One row of a result: the values already converted to Java by type OID (the README's "Types" section), by
 * index (0-based) or by column name. Immutable.
 *
 * <p>The typed getters convert between Java number types only when no information is lost and
 * throw {@link ClassCastException} naming the column otherwise; the primitive ones ({@link #getInt},
 * {@link #getLong}, {@link #getDouble}, {@link #getBoolean}) throw for a NULL, which the object
 * getters return as null.
 */
public final class Row {

    private final List<Column> columns;
    private final Object[] values;

    Row(List<Column> columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    /** {@return the number of values (columns) in the row} */
    public int size() {
        return values.length;
    }

    /** {@return the columns of the result this row belongs to} */
    public List<Column> columns() {
        return columns;
    }

    /**
     * {@return the value as converted by type OID, null for NULL}
     *
     * @param index the column's index, from 0
     * @throws IndexOutOfBoundsException when there is no such column
     */
    public Object get(int index) {
        return values[checkIndex(index)];
    }

    /**
     * {@return the value as converted by type OID, null for NULL}
     *
     * @param column the column's name, matched exactly; the first column of that name counts
     * @throws IllegalArgumentException when no column has this name
     */
    public Object get(String column) {
        return values[indexOf(column)];
    }

    /**
     * The value as {@code type}, which it must already be: no conversion.
     *
     * @param <T> the type wanted
     * @param index the column's index, from 0
     * @param type the class of {@code T}
     * @return the value; null for NULL
     * @throws ClassCastException when the value is not a {@code type}
     */
    public <T> T get(int index, Class<T> type) {
        Object value = get(index);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw mismatch(index, type.getSimpleName());
    }

    /**
     * As {@link #get(int, Class)}, by column name.
     *
     * @param <T> the type wanted
     * @param column the column's name, matched exactly; the first column of that name counts
     * @param type the class of {@code T}
     * @return the value; null for NULL
     */
    public <T> T get(String column, Class<T> type) {
        return get(indexOf(column), type);
    }

    /**
     * {@return the value, which must be a String (text types, and types without a conversion of
     * their own, read in text format); null for NULL}
     *
     * @param index the column's index, from 0
     * @throws ClassCastException when the value is not a {@code String}
     */
    public String getString(int index) {
        return get(index, String.class);
    }

    /**
     * As {@link #getString(int)}, by column name.
     *
     * @param column the column's name, matched exactly; the first column of that name counts
     * @return the value; null for NULL
     */
    public String getString(String column) {
        return getString(indexOf(column));
    }

    /**
     * {@return the value as an int: an integer value, or a numeric one without fraction, within
     * int's range}
     *
     * @param index the column's index, from 0
     * @throws NullPointerException for NULL
     * @throws ClassCastException when the value is not such a number
     */
    public int getInt(int index) {
        long value = getLong(index);
        if (value != (int) value) {
            throw mismatch(index, "int");
        }
        return (int) value;
    }

    /**
     * As {@link #getInt(int)}, by column name.
     *
     * @param column the column's name, matched exactly; the first column of that name counts
     * @return the value
     */
    public int getInt(String column) {
        return getInt(indexOf(column));
    }

    /**
     * {@return the value as a long: an integer value, or a numeric one without fraction, within
     * long's range}
     *
     * @param index the column's index, from 0
     * @throws NullPointerException for NULL
     * @throws ClassCastException when the value is not such a number
     */
    public long getLong(int index) {
        Object value = notNull(index);
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw mismatch(index, "long");
            }
        }
        if (value instanceof java.math.BigInteger i && i.bitLength() < 64) {
            return i.longValue();
        }
        throw mismatch(index, "long");
    }

    /**
     * As {@link #getLong(int)}, by column name.
     *
     * @param column the column's name, matched exactly; the first column of that name counts
     * @return the value
     */
    public long getLong(String column) {
        return getLong(indexOf(column));
    }

    /**
     * {@return the value as a double: any number, as {@link Number#doubleValue()} converts it}
     *
     * @param index the column's index, from 0
     * @throws NullPointerException for NULL
     * @throws ClassCastException when the value is not a number
     */
    public double getDouble(int index) {
        Object value = notNull(index);
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw mismatch(index, "double");
    }

    /**
     * As {@link #getDouble(int)}, by column name.
     *
     * @param column the column's name, matched exactly; the first column of that name counts
     * @return the value
     */
    public double getDouble(String column) {
        return getDouble(indexOf(column));
    }

    /**
     * {@return the value of a boolean column}
     *
     * @param index the column's index, from 0
     * @throws NullPointerException for NULL
     * @throws ClassCastException when the value is not a {@code Boolean}
     */
    public boolean getBoolean(int index) {
        Object value = notNull(index);
        if (value instanceof Boolean b) {
            return b;
        }
        throw mismatch(index, "boolean");
    }

    /**
     * As {@link #getBoolean(int)}, by column name.
     *
     * @param column the column's name, matched exactly; the first column of that name counts
     * @return the value
     */
    public boolean getBoolean(String column) {
        return getBoolean(indexOf(column));
    }

    /**
     * {@return the value as a BigDecimal: a numeric value, or an integer one converted exactly;
     * null for NULL}
     *
     * @param index the column's index, from 0
     * @throws ClassCastException when the value is neither
     */
    public BigDecimal getBigDecimal(int index) {
        Object value = get(index);
        if (value == null || value instanceof BigDecimal) {
            return (BigDecimal) value;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof java.math.BigInteger i) {
            return new BigDecimal(i);
        }
        throw mismatch(index, "BigDecimal");
    }

    /**
     * As {@link #getBigDecimal(int)}, by column name.
     *
     * @param column the column's name, matched exactly; the first column of that name counts
     * @return the value; null for NULL
     */
    public BigDecimal getBigDecimal(String column) {
        return getBigDecimal(indexOf(column));
    }

    /**
     * {@return the value of a {@code bytea} column; null for NULL}
     *
     * @param index the column's index, from 0
     * @throws ClassCastException when the value is not a {@code byte[]}
     */
    public byte[] getBytes(int index) {
        return get(index, byte[].class);
    }

    /**
     * As {@link #getBytes(int)}, by column name.
     *
     * @param column the column's name, matched exactly; the first column of that name counts
     * @return the value; null for NULL
     */
    public byte[] getBytes(String column) {
        return getBytes(indexOf(column));
    }

    /**
     * {@return true when the value is NULL}
     *
     * @param index the column's index, from 0
     */
    public boolean isNull(int index) {
        return get(index) == null;
    }

    /** The values themselves, for a row factory that consumes the row. */
    Object[] values() {
        return values;
    }

    /** {@return a copy of the values, in column order} */
    public Object[] toArray() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && Arrays.deepEquals(values, r.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        return "Row" + Arrays.deepToString(values);
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= values.length) {
            throw new IndexOutOfBoundsException("column index " + index + " out of range: the row has "
                    + values.length + " columns");
        }
        return index;
    }

    private int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column named '" + column + "'; the columns are "
                + columns.stream().map(Column::name).toList());
    }

    private Object notNull(int index) {
        Object value = get(index);
        if (value == null) {
            throw new NullPointerException("column " + describe(index) + " is NULL; use get(" + index
                    + ") to read a nullable value");
        }
        return value;
    }

    private ClassCastException mismatch(int index, String wanted) {
        Object value = values[index];
        return new ClassCastException("column " + describe(index) + " holds " + value.getClass().getName() + " "
                + value + ", which is not a " + wanted);
    }

    private String describe(int index) {
        return index + (index < columns.size() ? " (\"" + columns.get(index).name() + "\")" : "");
    }
}
