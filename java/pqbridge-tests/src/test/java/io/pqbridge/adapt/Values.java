package io.pqbridge.adapt;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Deep equality for loaded values: byte arrays by content, lists element by element. */
final class Values {

    private Values() {
    }

    static boolean same(Object expected, Object actual) {
        if (expected instanceof byte[] e && actual instanceof byte[] a) {
            return Arrays.equals(e, a);
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) {
                return false;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!same(e.get(i), a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof BigDecimal e && actual instanceof BigDecimal a) {
            return e.equals(a);   // same value and same scale: the server keeps the scale
        }
        return Objects.equals(expected, actual);
    }

    static String show(Object v) {
        if (v instanceof byte[] b) {
            return "byte[]" + Arrays.toString(b);
        }
        if (v instanceof List<?> l) {
            StringBuilder s = new StringBuilder("[");
            for (Object e : l) {
                s.append(s.length() > 1 ? ", " : "").append(show(e));
            }
            return s.append(']').toString();
        }
        return v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")";
    }
}
