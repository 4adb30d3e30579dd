package io.pqbridge;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A cursor's {@link RowFactory} at work: the maker for the current columns, asked for when a
 * result becomes current ({@link #prepare}) and kept while the columns stay the same list (one
 * list per result shape), and the rows made with it. Shared by {@link RowCursor} and
 * {@link RowServerCursor}. Not thread-safe, as cursors are not.
 *
 * @param <R> what a row becomes
 */
final class RowMaking<R> {

    private final RowFactory<R> factory;
    private List<Column> columns;
    private RowMaker<R> maker;

    RowMaking(RowFactory<R> factory) {
        this.factory = Objects.requireNonNull(factory, "rowFactory");
    }

    RowFactory<R> factory() {
        return factory;
    }

    /** A result with these columns became current: the factory refuses them now if it must. */
    void prepare(List<Column> current) {
        if (current != null && current != columns) {
            maker = factory.maker(current);
            columns = current;
        }
    }

    R make(Row row) {
        prepare(row.columns());
        return maker.make(row.values());
    }

    List<R> makeAll(List<Row> rows) {
        List<R> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(make(row));
        }
        return out;
    }

    Iterator<R> iterator(Iterator<Row> rows) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public R next() {
                if (!rows.hasNext()) {
                    throw new NoSuchElementException("no more records to return");
                }
                return make(rows.next());
            }
        };
    }
}
