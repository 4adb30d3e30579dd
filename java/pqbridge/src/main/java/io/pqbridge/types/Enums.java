package io.pqbridge.types;

import io.pqbridge.errors.DataException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PostgreSQL enum types as Java enums (psycopg's {@code register_enum}): each constant is written
 * as its label and each label read as its constant, in text and binary (an enum's binary form is
 * its label), in parameters, results, COPY and arrays.
 */
public final class Enums {

    private Enums() {
    }

    /**
     * Maps the enum type {@code info} to {@code enumClass} by name: each constant goes to the label
     * of its name, or, when there is none, to the one label equal to it ignoring case
     * ({@code HAPPY} and {@code 'happy'}). Adds the type to {@code adapters}, so that its name
     * works in COPY {@code setTypes} and arrays of it convert too.
     *
     * @param <E> the Java enum
     * @param info the type and its labels ({@code TypeInfos.fetchEnum})
     * @param adapters where to register: a connection's, or {@link AdaptersMap#global()}
     * @param enumClass the Java enum
     * @throws IllegalArgumentException when the constants and the labels do not match one to one,
     *     naming those without a partner
     */
    public static <E extends Enum<E>> void register(EnumInfo info, AdaptersMap adapters, Class<E> enumClass) {
        Map<E, String> mapping = new EnumMap<>(enumClass);
        for (E constant : enumClass.getEnumConstants()) {
            String label = info.labels().contains(constant.name()) ? constant.name() : caseless(info, constant.name());
            if (label != null) {
                mapping.put(constant, label);
            }
        }
        register(info, adapters, enumClass, mapping);
    }

    /**
     * Maps the enum type {@code info} to {@code enumClass} with an explicit mapping (psycopg's
     * {@code register_enum(..., mapping=)}).
     *
     * @param <E> the Java enum
     * @param info the type and its labels
     * @param adapters where to register
     * @param enumClass the Java enum
     * @param mapping the label of each constant; every constant and every label exactly once
     * @throws IllegalArgumentException when the mapping leaves a constant or a label out, names a
     *     label the type does not have, or gives one label to two constants
     */
    public static <E extends Enum<E>> void register(EnumInfo info, AdaptersMap adapters, Class<E> enumClass,
            Map<E, String> mapping) {
        Map<String, E> byLabel = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (E constant : enumClass.getEnumConstants()) {
            String label = mapping.get(constant);
            if (label == null || !info.labels().contains(label)) {
                problems.add("constant " + constant.name() + " has no label" + (label == null ? "" : " '" + label + "'"));
            } else if (byLabel.putIfAbsent(label, constant) != null) {
                problems.add("label '" + label + "' is given to two constants");
            }
        }
        for (String label : info.labels()) {
            if (!byLabel.containsKey(label)) {
                problems.add("label '" + label + "' has no constant");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot map the enum " + info.type().name() + " " + info.labels()
                    + " to " + enumClass.getName() + ": " + String.join("; ", problems));
        }
        Map<E, byte[]> labels = new EnumMap<>(enumClass);
        mapping.forEach((constant, label) -> labels.put(constant, label.getBytes(StandardCharsets.UTF_8)));
        int oid = info.type().oid();
        adapters.addType(info.type());
        // an enum's binary form is its label; the text dumper is registered last, so %s sends text
        adapters.registerDumper(enumClass, Dumper.<E>of(oid, Format.BINARY, value -> labels.get(value).clone()));
        adapters.registerDumper(enumClass, Dumper.<E>of(oid, Format.TEXT, value -> labels.get(value).clone()));
        Loader<E> loader = data -> {
            String label = new String(data, StandardCharsets.UTF_8);
            E constant = byLabel.get(label);
            if (constant == null) {
                throw new DataException("the label '" + label + "' of the enum " + info.type().name() + " has no constant"
                        + " in " + enumClass.getName() + " (was it added after the mapping was registered?)");
            }
            return constant;
        };
        adapters.registerLoader(oid, Format.TEXT, loader);
        adapters.registerLoader(oid, Format.BINARY, loader);
    }

    private static String caseless(EnumInfo info, String name) {
        String found = null;
        for (String label : info.labels()) {
            if (label.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                if (found != null) {
                    return null;
                }
                found = label;
            }
        }
        return found;
    }
}
