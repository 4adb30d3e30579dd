package io.pqbridge;

import io.pqbridge.errors.ProgrammingException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RowFactories#classRow}'s mapping of columns to a record's components or a class's
 * fields, settled once per result: the match of names is checked and the constructor and fields
 * are looked up there, so making each row is one reflective call (and a few field sets).
 */
final class ClassRows {

    private ClassRows() {
    }

    static <T> RowMaker<T> maker(Class<T> type, List<String> columns) {
        if (type.isRecord()) {
            return recordMaker(type, columns);
        }
        return fieldMaker(type, columns);
    }

    private static <T> RowMaker<T> recordMaker(Class<T> type, List<String> columns) {
        RecordComponent[] components = type.getRecordComponents();
        Map<String, Class<?>> targets = new LinkedHashMap<>();
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            targets.put(components[i].getName(), components[i].getType());
            parameterTypes[i] = components[i].getType();
        }
        checkNames(type, "component", targets, columns);
        int[] columnOf = new int[components.length];
        for (int i = 0; i < components.length; i++) {
            columnOf[i] = columns.indexOf(components[i].getName());
        }
        Constructor<T> constructor = accessible(type, parameterTypes);
        return values -> {
            Object[] args = new Object[columnOf.length];
            for (int i = 0; i < columnOf.length; i++) {
                args[i] = convert(type, columns.get(columnOf[i]), values[columnOf[i]], parameterTypes[i]);
            }
            return construct(type, constructor, args);
        };
    }

    private static <T> RowMaker<T> fieldMaker(Class<T> type, List<String> columns) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) && !Modifier.isFinal(m) && !f.isSynthetic()) {
                    fields.putIfAbsent(f.getName(), f);
                }
            }
        }
        Map<String, Class<?>> targets = new LinkedHashMap<>();
        fields.forEach((name, f) -> targets.put(name, f.getType()));
        checkNames(type, "field", targets, columns);
        Constructor<T> constructor = accessible(type);
        Field[] byColumn = new Field[columns.size()];
        for (int i = 0; i < byColumn.length; i++) {
            byColumn[i] = fields.get(columns.get(i));
            open(type, byColumn[i]);
        }
        return values -> {
            T instance = construct(type, constructor, new Object[0]);
            for (int i = 0; i < byColumn.length; i++) {
                Object value = convert(type, columns.get(i), values[i], byColumn[i].getType());
                try {
                    byColumn[i].set(instance, value);
                } catch (IllegalAccessException e) {
                    throw inaccessible(type, e);
                }
            }
            return instance;
        };
    }

    /**
     * The values of an instance of {@code type} in the order of {@code names} (a composite's
     * fields): its record components, or its fields; the names must match them one to one.
     */
    static java.util.function.Function<Object, Object[]> parts(Class<?> type, List<String> names) {
        java.lang.reflect.Method[] accessors = new java.lang.reflect.Method[names.size()];
        Field[] fields = new Field[names.size()];
        for (int i = 0; i < names.size(); i++) {
            try {
                if (type.isRecord()) {
                    accessors[i] = type.getDeclaredMethod(names.get(i));
                    accessors[i].setAccessible(true);
                } else {
                    fields[i] = findField(type, names.get(i));
                    open(type, fields[i]);
                }
            } catch (NoSuchMethodException | NoSuchFieldException e) {
                throw new ProgrammingException("cannot write " + type.getName() + " as a composite: it has no "
                        + (type.isRecord() ? "component" : "field") + " named '" + names.get(i) + "'");
            } catch (RuntimeException e) {
                throw inaccessible(type, e);
            }
        }
        return value -> {
            Object[] out = new Object[names.size()];
            try {
                for (int i = 0; i < out.length; i++) {
                    out[i] = accessors[i] != null ? accessors[i].invoke(value) : fields[i].get(value);
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw inaccessible(type, e);
            }
            return out;
        };
    }

    private static Field findField(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                continue;
            }
        }
        throw new NoSuchFieldException(name);
    }

    /** Refuses a column without a target and a target without a column, naming both lists. */
    private static void checkNames(Class<?> type, String kind, Map<String, Class<?>> targets, List<String> columns) {
        List<String> extra = new ArrayList<>();
        for (String c : columns) {
            if (!targets.containsKey(c)) {
                extra.add(c);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String t : targets.keySet()) {
            if (!columns.contains(t)) {
                missing.add(t);
            }
        }
        if (!extra.isEmpty() || !missing.isEmpty()) {
            String problem = (extra.isEmpty() ? "" : "the column(s) " + extra + " have no " + kind + " in "
                    + type.getName()) + (extra.isEmpty() || missing.isEmpty() ? "" : ", and ")
                    + (missing.isEmpty() ? "" : "the " + kind + "(s) " + missing + " of " + type.getName()
                    + " have no column");
            throw new ProgrammingException("cannot make rows into " + type.getName() + ": " + problem + "; the columns are "
                    + columns + " (rename them with AS, or select what the " + kind + "s need)");
        }
    }

    /** A value for a target of type {@code target}: as it is, or a lossless number widening. */
    private static Object convert(Class<?> type, String column, Object value, Class<?> target) {
        Class<?> boxed = boxed(target);
        if (value == null) {
            if (target.isPrimitive()) {
                throw new ProgrammingException("column \"" + column + "\" is NULL, which the " + target.getName()
                        + " of " + type.getName() + " cannot hold; use " + boxed.getSimpleName() + " there");
            }
            return null;
        }
        if (boxed.isInstance(value)) {
            return value;
        }
        if (value instanceof Short || value instanceof Integer || value instanceof Long) {
            long v = ((Number) value).longValue();
            if (boxed == Long.class) {
                return v;
            }
            if (boxed == Integer.class && v == (int) v) {
                return (int) v;
            }
            if (boxed == java.math.BigDecimal.class) {
                return java.math.BigDecimal.valueOf(v);
            }
        }
        if (value instanceof Float f && boxed == Double.class) {
            return f.doubleValue();
        }
        throw new ProgrammingException("column \"" + column + "\" holds " + value.getClass().getName() + " " + value
                + ", which the " + target.getName() + " of " + type.getName() + " cannot take");
    }

    private static Class<?> boxed(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return c == int.class ? Integer.class : c == long.class ? Long.class : c == boolean.class ? Boolean.class
                : c == double.class ? Double.class : c == float.class ? Float.class : c == short.class ? Short.class
                : c == byte.class ? Byte.class : Character.class;
    }

    private static <T> Constructor<T> accessible(Class<T> type, Class<?>... parameters) {
        try {
            Constructor<T> c = type.getDeclaredConstructor(parameters);
            c.setAccessible(true);
            return c;
        } catch (NoSuchMethodException e) {
            throw new ProgrammingException("cannot make rows into " + type.getName() + ": it has no "
                    + (parameters.length == 0 ? "constructor without arguments" : "canonical constructor"));
        } catch (RuntimeException e) { // InaccessibleObjectException: a package not open to io.pqbridge
            throw inaccessible(type, e);
        }
    }

    private static void open(Class<?> type, Field f) {
        try {
            f.setAccessible(true);
        } catch (RuntimeException e) {
            throw inaccessible(type, e);
        }
    }

    private static <T> T construct(Class<T> type, Constructor<T> constructor, Object[] args) {
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new ProgrammingException("the constructor of " + type.getName() + " failed: " + e.getCause(), e.getCause());
        } catch (InstantiationException | IllegalAccessException e) {
            throw inaccessible(type, e);
        }
    }

    private static ProgrammingException inaccessible(Class<?> type, Exception e) {
        return new ProgrammingException("cannot make rows into " + type.getName() + ": " + e.getMessage()
                + " (on the module path, open its package to io.pqbridge)", e);
    }
}
