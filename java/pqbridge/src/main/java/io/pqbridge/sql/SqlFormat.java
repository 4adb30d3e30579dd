package io.pqbridge.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link Sql#format}'s parser: Python's {@code str.format} field syntax as psycopg accepts it.
 * {@code {}} takes the next positional argument, {@code {3}} the one at index 3,
 * {@code {name}} a named one; {@code {{} and {@code }}} are braces. A conversion ({@code {!r}})
 * or a format spec ({@code {:x}}) is refused, as psycopg refuses them, and so is switching
 * between automatic and numbered fields.
 */
final class SqlFormat {

    private SqlFormat() {
    }

    /** The parts of {@code text} with its fields filled from {@code positional} or {@code named} (one is null). */
    static Composed fill(String text, Object[] positional, Map<String, ?> named) {
        List<Composable> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int auto = 0;
        boolean numbered = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '}') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '}') {
                    literal.append('}');
                    i += 2;
                    continue;
                }
                throw malformed(text, "single '}' at offset " + i + " (write '}}' for a brace)");
            }
            if (c != '{') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < text.length() && text.charAt(i + 1) == '{') {
                literal.append('{');
                i += 2;
                continue;
            }
            int end = text.indexOf('}', i + 1);
            if (end < 0) {
                throw malformed(text, "'{' at offset " + i + " is not closed (write '{{' for a brace)");
            }
            String field = text.substring(i + 1, end);
            if (field.indexOf('{') >= 0 || field.indexOf(':') >= 0) {
                throw malformed(text, "no format specification allowed: {" + field + "}");
            }
            if (field.indexOf('!') >= 0) {
                throw malformed(text, "no format conversion allowed: {" + field + "}");
            }
            if (literal.length() > 0) {
                parts.add(new Sql(literal.toString()));
                literal.setLength(0);
            }
            Object arg;
            if (field.isEmpty()) {
                if (numbered) {
                    throw malformed(text, "cannot switch from manual field numbering to automatic");
                }
                arg = positional(text, positional, auto++);
            } else if (field.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                if (auto > 0) {
                    throw malformed(text, "cannot switch from automatic field numbering to manual");
                }
                numbered = true;
                arg = positional(text, positional, Integer.parseInt(field));
            } else {
                if (named == null) {
                    throw malformed(text, "the field {" + field + "} needs named arguments: use format(Map)");
                }
                if (!named.containsKey(field)) {
                    throw malformed(text, "no argument named '" + field + "'; the arguments are " + named.keySet());
                }
                arg = named.get(field);
            }
            parts.add(Composed.wrap(arg));
            i = end + 1;
        }
        if (literal.length() > 0) {
            parts.add(new Sql(literal.toString()));
        }
        return new Composed(parts);
    }

    private static Object positional(String text, Object[] args, int index) {
        if (args == null) {
            throw malformed(text, "the field {" + (index) + "} needs positional arguments: use format(Object...)");
        }
        if (index >= args.length) {
            throw malformed(text, "field " + index + " has no argument: " + args.length + " given");
        }
        return args[index];
    }

    private static IllegalArgumentException malformed(String text, String problem) {
        return new IllegalArgumentException("cannot format " + Composable.repr(text) + ": " + problem);
    }
}
