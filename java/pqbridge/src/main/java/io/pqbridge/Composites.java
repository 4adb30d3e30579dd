package io.pqbridge;

import io.pqbridge.adapt.CompositeFormat;
import io.pqbridge.adapt.SessionAdapters;
import io.pqbridge.adapt.SessionAdapters.SessionLoader;
import io.pqbridge.types.AdaptersMap;
import io.pqbridge.types.CompositeInfo;
import io.pqbridge.types.Format;
import java.util.function.Function;

/**
 * Composite types as Java records or classes (psycopg's {@code register_composite}): each field
 * goes to the record component or field of its name, as {@link RowFactories#classRow} maps
 * columns, and comes back from it; the fields are converted by their own types (an enum or a
 * range registered in the same adapters included), in text and binary, parameters, results, COPY
 * and arrays.
 */
public final class Composites {

    private Composites() {
    }

    /**
     * Maps the composite type {@code info} to {@code type} in {@code adapters}, and adds the type
     * (its name for {@code setTypes}, arrays of it).
     *
     * @param <T> the record or class
     * @param info the type and its fields ({@link TypeInfos#fetchComposite})
     * @param adapters where to register: a connection's, or the global map
     * @param type a record whose components, or a class whose fields, are named as the type's
     *     fields, one to one
     * @throws io.pqbridge.errors.ProgrammingException when the names do not match, naming them
     */
    public static <T> void register(CompositeInfo info, AdaptersMap adapters, Class<T> type) {
        int[] oids = info.fieldOids().stream().mapToInt(Integer::intValue).toArray();
        RowMaker<T> maker = ClassRows.maker(type, info.fieldNames());
        Function<Object, Object[]> parts = ClassRows.parts(type, info.fieldNames());
        int oid = info.type().oid();
        adapters.addType(info.type());
        adapters.registerDumper(type, SessionAdapters.<T>dumper(oid, Format.BINARY,
                (v, ctx) -> CompositeFormat.dumpBinary(parts.apply(v), oids, ctx)));
        adapters.registerDumper(type, SessionAdapters.<T>dumper(oid, Format.TEXT,
                (v, ctx) -> CompositeFormat.dumpText(parts.apply(v), oids, ctx))); // last: %s sends text, as psycopg does
        adapters.registerLoader(oid, Format.TEXT, (SessionLoader<T>) (data, ctx) ->
                maker.make(CompositeFormat.loadText(data, oids, ctx)));
        adapters.registerLoader(oid, Format.BINARY, (SessionLoader<T>) (data, ctx) ->
                maker.make(CompositeFormat.loadBinary(data, oids, ctx)));
    }
}
