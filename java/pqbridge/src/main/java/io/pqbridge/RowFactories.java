package io.pqbridge;

import io.pqbridge.errors.ProgrammingException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * psycopg's ready-made row factories ({@code psycopg.rows}), for
 * {@link Connection#cursor(RowFactory)} and {@link Connection#withRowFactory(RowFactory)}.
 */
public final class RowFactories {

    private RowFactories() {
    }

    /** {@return rows as {@code Object[]}, the values in column order (psycopg's {@code tuple_row})} */
    public static RowFactory<Object[]> tupleRow() {
        return columns -> values -> values;
    }

    /**
     * {@return rows as {@link Row}, by index and by name (psycopg's {@code namedtuple_row}; the
     * rows of a plain {@link Cursor})}
     */
    public static RowFactory<Row> namedTupleRow() {
        return columns -> values -> new Row(columns, values);
    }

    /**
     * {@return rows as unmodifiable maps from column name to value, in column order (psycopg's
     * {@code dict_row})}; a result with two columns of one name is refused when it becomes current
     * (psycopg would keep the last), naming the name
     */
    public static RowFactory<Map<String, Object>> dictRow() {
        return columns -> {
            List<String> names = uniqueNames(columns, "a map");
            return values -> {
                Map<String, Object> map = new LinkedHashMap<>(names.size() * 2);
                for (int i = 0; i < values.length; i++) {
                    map.put(names.get(i), values[i]);
                }
                return Collections.unmodifiableMap(map);
            };
        };
    }

    /**
     * {@return rows as the first column's value (psycopg's {@code scalar_row})}; a result without
     * columns is refused
     */
    public static RowFactory<Object> scalarRow() {
        return columns -> {
            if (columns.isEmpty()) {
                throw new ProgrammingException("scalarRow needs a result with at least one column; this one has none");
            }
            return values -> values[0];
        };
    }

    /**
     * {@return rows made by {@code function} from their values in column order (psycopg's
     * {@code args_row})}
     *
     * @param <T> what a row becomes
     * @param function makes one row
     */
    public static <T> RowFactory<T> argsRow(Function<Object[], T> function) {
        return columns -> function::apply;
    }

    /**
     * {@return rows made by {@code function} from a map of column name to value (psycopg's
     * {@code kwargs_row})}; duplicate column names are refused as by {@link #dictRow()}
     *
     * @param <T> what a row becomes
     * @param function makes one row
     */
    public static <T> RowFactory<T> kwargsRow(Function<Map<String, Object>, T> function) {
        RowFactory<Map<String, Object>> maps = dictRow();
        return columns -> {
            RowMaker<Map<String, Object>> map = maps.maker(columns);
            return values -> function.apply(map.make(values));
        };
    }

    /**
     * Rows as instances of {@code type}, each column given to the record component or field of
     * its name (psycopg's {@code class_row}). A record is made with its canonical constructor; any
     * other class with its no-argument constructor, then its fields are set. The columns and the
     * components (or the non-static, non-final fields) must match one to one: a column without a
     * component, a component without a column, or two columns of one name are refused when the
     * result becomes current, naming them. A value is given as it was read, with a lossless
     * widening between Java number types; a NULL for a primitive, or a value of another type, is
     * refused naming the column.
     *
     * <p>On the module path, the package of {@code type} must be open (or, for a public record in
     * an exported package, exported) to {@code io.pqbridge}.
     *
     * @param <T> the class
     * @param type the record or class
     * @return the factory
     */
    public static <T> RowFactory<T> classRow(Class<T> type) {
        return columns -> ClassRows.maker(type, uniqueNames(columns, type.getName()));
    }

    /** The column names, refusing duplicates, which a map or a class cannot hold. */
    static List<String> uniqueNames(List<Column> columns, String target) {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (Column c : columns) {
            if (!seen.add(c.name())) {
                duplicates.add(c.name());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new ProgrammingException("the result has more than one column named " + duplicates
                    + ", which cannot become " + target + "; give them distinct names with AS");
        }
        return List.copyOf(seen);
    }
}
