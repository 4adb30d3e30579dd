package io.pqbridge.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A command line parsed by its {@link CommandSyntax}: the values of its options and its positional
 * parameters, read through typed accessors whose failures are usage errors naming the option.
 * Options are looked up by their long name ({@code --table}); an option the syntax does not
 * declare is simply absent (the syntax already refused unknown ones on the line).
 */
final class ParsedArguments {

    /** {@code --help} was asked for: nothing else on the line matters. */
    static final ParsedArguments HELP = new ParsedArguments(Map.of(), Map.of(), List.of(), List.of());
    /** {@code --version} was asked for. */
    static final ParsedArguments VERSION = new ParsedArguments(Map.of(), Map.of(), List.of(), List.of());

    private final Map<String, List<String>> values;
    private final Map<String, Boolean> flags;
    private final List<String> positional;
    private final List<String> tail;

    ParsedArguments(Map<String, List<String>> values, Map<String, Boolean> flags, List<String> positional,
            List<String> tail) {
        this.values = Map.copyOf(values);
        this.flags = Map.copyOf(flags);
        this.positional = List.copyOf(positional);
        this.tail = List.copyOf(tail);
    }

    /** The option's value, or null when it was not given. */
    String value(String name) {
        List<String> given = values.get(name);
        return given == null ? null : given.get(0);
    }

    /** The option's value; a usage error when it was not given. */
    String required(String name) {
        String value = value(name);
        if (value == null) {
            throw ToolException.usage("option " + name + " is required");
        }
        return value;
    }

    /** A list option's values in the order given, or null when it was not given. */
    List<String> list(String name) {
        return values.get(name);
    }

    /** Whether the flag was given. */
    boolean flag(String name) {
        return flags.getOrDefault(name, false);
    }

    /** A negatable flag: true for {@code --name}, false for {@code --no-name}, null when absent. */
    Boolean tristate(String name) {
        return flags.get(name);
    }

    /** The option's value as one of {@code type}'s constants, by name in any case; {@code absent} if not given. */
    <E extends Enum<E>> E choice(String name, Class<E> type, E absent) {
        String value = value(name);
        if (value == null) {
            return absent;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
            }
            throw ToolException.usage("option " + name + " must be one of " + allowed + ", not '" + value + "'");
        }
    }

    /** The {@code index}-th positional parameter, or null when an optional one was left out. */
    String parameter(int index) {
        return index < positional.size() ? positional.get(index) : null;
    }

    /** The words after {@code --} of a syntax with a command tail (never empty there); empty otherwise. */
    List<String> tail() {
        return tail;
    }
}
