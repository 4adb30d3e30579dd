package io.pqbridge.adapt;

import java.lang.reflect.Array;
import java.util.List;
import java.util.RandomAccess;

/**
 * What counts as a PostgreSQL array on the Java side: a {@link List} or a Java array, except
 * {@code byte[]} (a bytea value). Elements may be null and may themselves be array-like (nested,
 * multi-dimensional arrays).
 */
final class ArrayLike {

    private ArrayLike() {
    }

    static boolean is(Object v) {
        return v instanceof List || (v != null && v.getClass().isArray() && !(v instanceof byte[]));
    }

    /** A view that reads by index in constant time ({@code v} must satisfy {@link #is}). */
    static Object indexable(Object v) {
        if (v instanceof List<?> l && !(l instanceof RandomAccess)) {
            return l.toArray();
        }
        return v;
    }

    static int length(Object v) {
        if (v instanceof List<?> l) {
            return l.size();
        }
        if (v instanceof Object[] a) {
            return a.length;
        }
        return Array.getLength(v);
    }

    static Object get(Object v, int i) {
        if (v instanceof List<?> l) {
            return l.get(i);
        }
        if (v instanceof Object[] a) {
            return a[i];
        }
        if (v instanceof int[] a) {
            return a[i];
        }
        if (v instanceof long[] a) {
            return a[i];
        }
        return Array.get(v, i);
    }
}
