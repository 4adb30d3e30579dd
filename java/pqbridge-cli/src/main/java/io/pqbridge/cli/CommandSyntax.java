package io.pqbridge.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One command's syntax: its options and positional parameters, how an argument list parses
 * against them, and the help text that describes them.
 *
 * <p>The rules are the GNU ones: {@code --name=value} or {@code --name value}; a flag takes no
 * value, a negatable flag also has a {@code --no-name} form; a list option takes comma-separated
 * values and may be repeated; any other option given twice is an error; {@code --} ends the
 * options and {@code -} is a parameter (standard input or output), except in a syntax with a
 * <em>command tail</em> ({@code -- PROGRAM [ARGS...]}), where {@code --} is required and every word
 * after it, options or not, is the tail's. {@code -h}/{@code --help} and
 * {@code -V}/{@code --version} belong to every command and win over everything else on the line,
 * so a user can always ask for help, whatever else is wrong with the line.
 *
 * <p>Hand-written rather than a library's: parsing is the first thing every run does, and the
 * reflective parser the tool used before cost more start-up time than connecting to the server
 * and loading 10,000 rows. Every failure is a usage error ({@link ToolException#usage}) that names
 * the option.
 */
final class CommandSyntax {

    /** What an option takes. */
    enum Kind {
        /** One value, at most once. */
        VALUE,
        /** Comma-separated values; may be repeated, the values add up. */
        LIST,
        /** No value: present or not. */
        FLAG,
        /** No value: {@code --name} or {@code --no-name}, or absent. */
        NEGATABLE
    }

    /** An option: its long name ({@code --table}), the placeholder for its value, its help. */
    record Option(String name, Kind kind, String label, String description) {
        static Option value(String name, String label, String description) {
            return new Option(name, Kind.VALUE, label, description);
        }

        static Option list(String name, String label, String description) {
            return new Option(name, Kind.LIST, label, description);
        }

        static Option flag(String name, String description) {
            return new Option(name, Kind.FLAG, null, description);
        }

        static Option negatable(String name, String description) {
            return new Option(name, Kind.NEGATABLE, null, description);
        }

        private String column() {
            return switch (kind) {
                case VALUE, LIST -> name + "=" + label;
                case FLAG -> name;
                case NEGATABLE -> "--[no-]" + name.substring(2);
            };
        }
    }

    /** A positional parameter; an optional one may be left out (only the last may be optional). */
    record Parameter(String label, String description, boolean optional) {
    }

    private static final int WIDTH = 80;
    private static final int DESCRIPTION_COLUMN = 27;
    private static final Option HELP = Option.flag("--help", "Show this help and exit.");
    private static final Option VERSION = Option.flag("--version", "Show the version and exit.");

    private final String command;
    private final List<String> description;
    private final List<Option> options;
    private final List<Parameter> parameters;
    private final Parameter tail;
    private final Map<String, Option> byName = new HashMap<>();

    /**
     * @param command     the command as the user types it ({@code pqbridge load})
     * @param description paragraphs of help text
     */
    CommandSyntax(String command, List<String> description, List<Option> options, List<Parameter> parameters) {
        this(command, description, options, parameters, null);
    }

    /**
     * A syntax whose line ends with {@code -- } and a command tail: words that are the command's
     * own, such as a program and its arguments.
     *
     * @param tail the tail's label ({@code PROGRAM [ARGS...]}) and description; null for none
     */
    CommandSyntax(String command, List<String> description, List<Option> options, List<Parameter> parameters,
            Parameter tail) {
        this.command = command;
        this.tail = tail;
        this.description = List.copyOf(description);
        this.options = List.copyOf(options);
        this.parameters = List.copyOf(parameters);
        for (Option option : options) {
            if (byName.put(option.name(), option) != null) {
                throw new IllegalArgumentException("option " + option.name() + " declared twice");
            }
        }
    }

    String command() {
        return command;
    }

    /** Parses {@code args} (the words after the command's name); a usage error names what is wrong. */
    ParsedArguments parse(List<String> args) {
        int end = args.indexOf("--");
        List<String> optionWords = end < 0 ? args : args.subList(0, end);
        if (optionWords.contains("-h") || optionWords.contains(HELP.name())) {
            return ParsedArguments.HELP;
        }
        if (optionWords.contains("-V") || optionWords.contains(VERSION.name())) {
            return ParsedArguments.VERSION;
        }
        Map<String, List<String>> values = new HashMap<>();
        Map<String, Boolean> flags = new HashMap<>();
        List<String> positional = new ArrayList<>();
        List<String> tailWords = List.of();
        if (tail != null) {
            if (end < 0 || end == args.size() - 1) {
                throw ToolException.usage("missing -- " + tail.label() + " at the end of the line");
            }
            tailWords = args.subList(end + 1, args.size());
            args = optionWords;
        }
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            Option option = byName.get(name);
            boolean negated = false;
            if (option == null && name.startsWith("--no-")) {
                Option positive = byName.get("--" + name.substring(5));
                if (positive != null && positive.kind() == Kind.NEGATABLE) {
                    option = positive;
                    negated = true;
                }
            }
            if (option == null) {
                throw ToolException.usage("unknown option " + name + nearestHint(name));
            }
            switch (option.kind()) {
                case FLAG, NEGATABLE -> {
                    if (equals >= 0) {
                        throw ToolException.usage("option " + name + " takes no value");
                    }
                    if (flags.put(option.name(), !negated) != null) {
                        throw ToolException.usage("option " + option.column() + " is given twice");
                    }
                }
                case VALUE, LIST -> {
                    String value;
                    if (equals >= 0) {
                        value = arg.substring(equals + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw ToolException.usage("option " + name + " needs a value (" + option.column() + ")");
                    }
                    List<String> given = values.computeIfAbsent(name, k -> new ArrayList<>());
                    if (option.kind() == Kind.VALUE && !given.isEmpty()) {
                        throw ToolException.usage("option " + name + " is given twice ('" + given.get(0) + "' and '"
                                + value + "')");
                    }
                    if (option.kind() == Kind.LIST) {
                        given.addAll(List.of(value.split(",", -1)));
                    } else {
                        given.add(value);
                    }
                }
                default -> throw new AssertionError(option.kind());
            }
        }
        int required = (int) parameters.stream().filter(p -> !p.optional()).count();
        if (positional.size() < required) {
            throw ToolException.usage("missing " + parameters.get(positional.size()).label());
        }
        if (positional.size() > parameters.size()) {
            throw ToolException.usage("unexpected argument '" + positional.get(parameters.size()) + "'"
                    + (tail == null ? "" : " (" + tail.label() + " goes after --)"));
        }
        return new ParsedArguments(values, flags, positional, tailWords);
    }

    /** For a misspelt option, the declared one it most likely meant. */
    private String nearestHint(String name) {
        for (Option option : options) {
            if (option.name().startsWith(name) || name.startsWith(option.name())) {
                return " (did you mean " + option.name() + "?)";
            }
        }
        return "; " + command + " --help lists the options";
    }

    /** The first paragraph of the description: what the command does, for the tool's own help. */
    String summary() {
        return description.get(0);
    }

    /** {@code Usage: pqbridge load [OPTIONS] FILE|-}. */
    String synopsis() {
        StringBuilder s = new StringBuilder("Usage: ").append(command).append(" [OPTIONS]");
        for (Parameter p : parameters) {
            s.append(' ').append(p.optional() ? "[" + p.label() + "]" : p.label());
        }
        if (tail != null) {
            s.append(" -- ").append(tail.label());
        }
        return s.toString();
    }

    /** The whole help: synopsis, description, parameters, options, and {@code trailer} lines. */
    String help(List<String> trailer) {
        StringBuilder s = new StringBuilder(synopsis()).append('\n');
        for (String paragraph : description) {
            wrap(s, "", paragraph, 0);
        }
        if (!parameters.isEmpty() || tail != null) {
            s.append("\nParameters:\n");
            for (Parameter p : parameters) {
                wrap(s, "  " + p.label(), p.description(), DESCRIPTION_COLUMN);
            }
            if (tail != null) {
                wrap(s, "  " + tail.label(), tail.description(), DESCRIPTION_COLUMN);
            }
        }
        s.append("\nOptions:\n");
        for (Option o : options) {
            wrap(s, "      " + o.column(), o.description(), DESCRIPTION_COLUMN);
        }
        wrap(s, "  -h, " + HELP.name(), HELP.description(), DESCRIPTION_COLUMN);
        wrap(s, "  -V, " + VERSION.name(), VERSION.description(), DESCRIPTION_COLUMN);
        for (String line : trailer) {
            s.append(line).append('\n');
        }
        return s.toString();
    }

    /**
     * Appends {@code head} and then {@code text} word-wrapped to {@link #WIDTH} columns, its lines
     * starting at {@code column} (on the next line when {@code head} is wider than that).
     */
    static void wrap(StringBuilder s, String head, String text, int column) {
        String indent = " ".repeat(column);
        StringBuilder line = new StringBuilder(head);
        if (line.length() > column - 1 && column > 0) {
            s.append(line).append('\n');
            line.setLength(0);
        }
        if (line.length() < column) {
            line.append(" ".repeat(column - line.length()));
        }
        boolean first = true;
        for (String word : text.split(" ")) {
            if (!first && line.length() + 1 + word.length() > WIDTH) {
                s.append(line.toString().stripTrailing()).append('\n');
                line.setLength(0);
                line.append(indent);
                first = true;
            }
            if (!first) {
                line.append(' ');
            }
            line.append(word);
            first = false;
        }
        s.append(line.toString().stripTrailing()).append('\n');
    }
}
