package io.pqbridge.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

/**
 * The random inputs of BinaryWireDifferentialFuzzTest: for each column type --binary-wire
 * converts, spellings of values (as PostgreSQL prints them, other spellings its input function
 * reads, edge values, and mutations that are no longer valid), written as CSV or text files by
 * the format's rules (quoting, escapes, NULL strings, delimiters, line ends) and then sometimes
 * mutated as bytes (stray CR/LF, quotes, backslashes, end-of-data markers, broken UTF-8).
 */
final class BwFuzzInputs {

    private BwFuzzInputs() {
    }

    /** A column type under test: its name in reports, its SQL type, and a value spelling generator (null: NULL). */
    record TypeSpec(String name, String sql, Function<Random, String> values) {
    }

    // ---------------------------------------------------------------- helpers

    static <T> T pick(Random r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    @SafeVarargs
    static <T> T pick(Random r, T... items) {
        return items[r.nextInt(items.length)];
    }

    static String digits(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + r.nextInt(10)));
        }
        return b.toString();
    }

    static final String[] SPECIALS = {" ", "  ", "\t", "\"", "\\", ",", "{", "}", "[", "]", ":", "=", ".", "-", "+",
        "e", "E", "0", "9", "x", "N", "é", "✓", "😀", "\r", "\n", "'", "|", ";", "\u0000", "\\.", "NULL", "\u00a0",
        "\u0301"};

    /** A value mutation: insert, delete or replace a character, pad, change case, cut. */
    static String mutate(Random r, String s) {
        int op = r.nextInt(8);
        int at = s.isEmpty() ? 0 : r.nextInt(s.length() + 1);
        switch (op) {
            case 0, 1:
                return s.substring(0, at) + pick(r, SPECIALS) + s.substring(at);
            case 2:
                return s.isEmpty() ? s : s.substring(0, Math.min(at, s.length() - 1)) + s.substring(Math.min(at,
                        s.length() - 1) + 1);
            case 3:
                return s.isEmpty() ? pick(r, SPECIALS) : s.substring(0, Math.min(at, s.length() - 1)) + pick(r, SPECIALS)
                        + s.substring(Math.min(at, s.length() - 1) + 1);
            case 4:
                return pick(r, " ", "  ", "\t", "\n", "\r") + s + pick(r, "", " ", "\t", "\n");
            case 5:
                return r.nextBoolean() ? s.toUpperCase(java.util.Locale.ROOT) : s.toLowerCase(java.util.Locale.ROOT);
            case 6:
                return s.substring(0, at);
            default:
                return s + s.substring(at);
        }
    }

    /** A generator from seeds and a random producer: mostly valid, sometimes mutated, sometimes NULL. */
    static Function<Random, String> gen(List<String> seeds, Function<Random, String> random) {
        return r -> {
            int k = r.nextInt(100);
            if (k < 4) {
                return null;
            }
            String v = k < 40 ? pick(r, seeds) : random.apply(r);
            if (r.nextInt(100) < 10) {
                v = mutate(r, v);
                if (r.nextInt(4) == 0) {
                    v = mutate(r, v);
                }
            }
            return v;
        };
    }

    // ---------------------------------------------------------------- value spellings per type

    static String integer(Random r, long min, long max) {
        long v = switch (r.nextInt(6)) {
            case 0 -> pick(r, min, max, 0L, 1L, -1L);
            case 1 -> r.nextBoolean() ? (min == Long.MIN_VALUE ? min : min - 1) : (max == Long.MAX_VALUE ? max : max + 1);
            case 2 -> r.nextLong();
            default -> r.nextInt(2001) - 1000;
        };
        String s = Long.toString(v);
        if (r.nextInt(8) == 0) {
            s = (v >= 0 ? pick(r, "+", "0", "00", " ", "") : "") + s;
        }
        if (r.nextInt(10) == 0) {
            s = pick(r, " ", "  ", "\t") + s + pick(r, " ", "", "\n");
        }
        return s;
    }

    static Function<Random, String> ints(long min, long max, String bits) {
        return gen(List.of(Long.toString(min), Long.toString(max), "0", "-0", "+0", " 42 ", "+7", "007", "1.0", "1e3",
                "0x10", "1_000", "", " ", "-", "+", Long.toString(max) + "0", "9223372036854775808",
                "-9223372036854775809", "１２"), r -> integer(r, min, max));
    }

    static String float8(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            case 1 -> Double.toString(Double.longBitsToDouble(r.nextLong()));
            case 2 -> String.format(java.util.Locale.ROOT, "%." + r.nextInt(20) + "e", r.nextGaussian() * 1e10);
            case 3 -> Double.toHexString(r.nextGaussian());
            case 4 -> (r.nextBoolean() ? "-" : "") + digits(r, 1 + r.nextInt(25)) + "." + digits(r, r.nextInt(25));
            case 5 -> (r.nextBoolean() ? "-" : "") + "1e" + (r.nextInt(700) - 350);
            case 6 -> Float.toString(Float.intBitsToFloat(r.nextInt()));
            default -> Double.toString(r.nextGaussian());
        };
    }

    static final List<String> FLOAT_SEEDS = List.of("NaN", "nan", "NAN", "Infinity", "-Infinity", "+Infinity", "inf",
            "-inf", "+inf", "infinity", "  1.5  ", "1e308", "1e309", "1e-307", "4.9e-324", "2.4e-324", "1e-400",
            "3.4028235e38", "3.4028236e38", "1.4e-45", "1e-46", "-0", "0.", ".0", ".", "1e", "e1", "1e+", "0x1p3",
            "1,5", "1.5.5", "", " ", "1.7976931348623157e308", "1.7976931348623158e308", "-1.7976931348623159e308",
            "00001", "1E3", "1d", "1f");

    static String numeric(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> (r.nextBoolean() ? "-" : "") + digits(r, 1 + r.nextInt(40)) + "." + digits(r, r.nextInt(40));
            case 1 -> (r.nextBoolean() ? "-" : "") + digits(r, 1 + r.nextInt(5)) + pick(r, "e", "E") + pick(r, "", "+", "-")
                    + r.nextInt(r.nextBoolean() ? 30 : 2000);
            case 2 -> "." + digits(r, 1 + r.nextInt(10));
            case 3 -> digits(r, 1 + r.nextInt(10)) + ".";
            default -> Long.toString(r.nextLong() % 100000) + "." + digits(r, r.nextInt(4));
        };
    }

    static final List<String> NUMERIC_SEEDS = List.of("NaN", "nan", "Infinity", "-Infinity", "inf", "+inf", " 1.5 ",
            "1e1000", "1e-1000", "1e131072", "1e-16384", "0.000", "-0", "-0.000", "1.005", "12345678.995",
            "99999999.99", "99999999.995", "-0.001", "0.005", "1e", "1.2.3", "", " ", "+", ".", "1_000", "0x1F",
            "123456789012345678901234567890.123456789012345678901234567890");

    static String text(Random r, int maxLength) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(maxLength + 1);
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(100);
            if (k < 60) {
                b.append((char) ('a' + r.nextInt(26)));
            } else if (k < 85) {
                b.append(pick(r, SPECIALS));
            } else if (k < 95) {
                b.appendCodePoint(0xA0 + r.nextInt(0x2F00));
            } else {
                b.appendCodePoint(0x1F600 + r.nextInt(80));
            }
        }
        return b.toString();
    }

    static final List<String> TEXT_SEEDS = List.of("", " ", "\\N", "\\\\N", "NULL", "null", "\\.", ".", "\"", "\"\"",
            "a,b", "a\tb", "a\nb", "a\r\nb", "a\rb", "\\", "\\\\", "é✓😀", "\u00a0", "'", "\\x41", "\\101", "{a,b}",
            "a\"b\"", "x\\.y");

    static final List<String> BOOL_SEEDS = List.of("t", "f", "true", "false", "TRUE", "False", "tr", "tru", "fa",
            "fal", "fals", "y", "ye", "yes", "n", "no", "on", "of", "off", "o", "1", "0", "2", "  yes  ", " t", "f ",
            "", "yess", "truee", "onn", "-1", "01", "nope", "\tfalse\n");

    static String uuid(Random r) {
        String u = new UUID(r.nextLong(), r.nextLong()).toString();
        return switch (r.nextInt(7)) {
            case 0 -> u.toUpperCase(java.util.Locale.ROOT);
            case 1 -> u.replace("-", "");
            case 2 -> "{" + u + "}";
            case 3 -> u.replace("-", "").replaceAll("(.{4})(?!$)", "$1-");
            case 4 -> u.substring(0, 8) + u.substring(9);
            default -> u;
        };
    }

    /** JSON text, sometimes with odd whitespace, escapes and numbers. */
    static String json(Random r, int depth) {
        String ws = pick(r, "", "", " ", "\n", "\t", "  ", "\r");
        return ws + switch (depth > 2 ? r.nextInt(5) : r.nextInt(7)) {
            case 0 -> pick(r, "true", "false", "null");
            case 1 -> pick(r, "0", "-0", "1.50", "1e1000", "-1E-5", "123456789012345678901234567890", "0.1e+2",
                    Long.toString(r.nextLong()), "1.0", "-0.0");
            case 2, 3 -> "\"" + pick(r, "", "a", "é", "\\u00e9", "\\u0000", "\\ud83d\\ude00", "\\ud83d", "\\\"", "\\\\",
                    "\\n\\t", "\\/", "x y", "\\u00", "tab\there", "NULL", "\\N") + "\"";
            case 4 -> "[" + ws + (r.nextBoolean() ? json(r, depth + 1) + "," + json(r, depth + 1) : "") + ws + "]";
            default -> "{" + ws + "\"" + pick(r, "a", "b", "a", "é", "") + "\"" + ws + ":" + json(r, depth + 1)
                    + (r.nextBoolean() ? ", \"" + pick(r, "a", "c") + "\": " + json(r, depth + 1) : "") + ws + "}";
        } + ws;
    }

    static final List<String> JSON_SEEDS = List.of("{\"a\": [1, 2.50]}", "{}", "[]", "null", "\"str\"", "123",
            "{\"a\":1,\"a\":2}", "{\"a\":\"\\u0000\"}", "1e1000", "{", "", " ", "[1,]", "{\"a\" 1}", "tru",
            "\"\\ud800\"", "\"\\uDFFF\"", "[1, 2]  ", "{\"b\": {\"c\": null}}", "NaN");

    /** An array literal of elements from {@code element}, with quoting, spaces, NULLs, bounds and nesting. */
    static String array(Random r, Function<Random, String> element, boolean twoD) {
        String sp = r.nextInt(6) == 0 ? pick(r, " ", "  ", "\t", "\n") : "";
        StringBuilder b = new StringBuilder();
        int rows = twoD ? 1 + r.nextInt(3) : 1;
        int n = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(4);
        int lower = r.nextInt(6) == 0 ? r.nextInt(5) - 2 : 1;
        if (r.nextInt(6) == 0) {
            int upper = lower + n - 1 + (r.nextInt(4) == 0 ? r.nextInt(3) - 1 : 0);
            if (twoD) {
                b.append("[1:").append(rows).append("]");
            }
            b.append("[").append(lower).append(":").append(upper).append("]").append(sp).append("=").append(sp);
        }
        if (twoD) {
            b.append("{").append(sp);
        }
        for (int row = 0; row < rows; row++) {
            if (row > 0) {
                b.append(sp).append(",").append(sp);
            }
            b.append("{");
            int count = twoD && r.nextInt(10) == 0 ? n + 1 : n;
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    b.append(sp).append(",");
                }
                b.append(sp);
                String e = element.apply(r);
                if (e == null) {
                    b.append(pick(r, "NULL", "null", "Null", "\"NULL\""));
                } else if (r.nextInt(3) == 0 || e.isEmpty() || e.matches("(?s).*[\\s,{}\"\\\\].*")
                        || e.equalsIgnoreCase("null")) {
                    b.append('"').append(e.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                } else if (r.nextInt(10) == 0) {
                    b.append(e.replaceAll("(.)", "\\\\$1"));   // every character backslash-escaped
                } else {
                    b.append(e);
                }
                b.append(sp);
            }
            b.append("}");
        }
        if (twoD) {
            b.append(sp).append("}");
        }
        return b.toString();
    }

    static Function<Random, String> arrays(Function<Random, String> element, boolean twoD, List<String> seeds) {
        Function<Random, String> plainElement = r -> {
            String e = element.apply(r);
            return e;
        };
        return gen(seeds, r -> array(r, plainElement, twoD && r.nextBoolean()));
    }

    static final List<String> ARRAY_SEEDS = List.of("{}", "{ }", "[0:1]={5,6}", "[1:3]={5,6}", "[1:0]={}", "[-2:-1]={1,2}",
            "[1:2] = {1,2}", "{{1,2},{3,4}}", "{{1},{2,3}}", "{ { 1 } , { 2 } }", "{1,NULL,3}", "{NULL}", "{null}",
            "{\"1\"}", "{1,}", "{,1}", "{1 2}", "{{}}", "{{1}}x", "x{1}", "[1:1][1:1]={{1}}", "[1:1]={{1}}", "{\"\"}",
            "{1}  ", "  {1}", "[2147483647:2147483648]={1,2}", "[1:2147483647]={1}");

    static final List<String> TEXT_ARRAY_SEEDS = List.of("{a, b}", "{a\\,b}", "{\"a\\\"b\",NULL,\"NULL\",\"\", x }",
            "{\"x y\",\"q\\\"u\",NULL,\"NULL\",\"\",\"back\\\\s\"}", "{ \"a\" }", "{a b}", "{\"a\"b}", "{a\"b\"}",
            "{\\N}", "{\\\\N}", "{é,✓}", "{{a},{b}}", "[0:0]={a}", "{\"}", "{\\}", "{a\\}", "{}", "{ }", "{\"\\\\\"}");

    // ---------------------------------------------------------------- the types

    static List<TypeSpec> types() {
        Function<Random, String> i4 = r -> integer(r, Integer.MIN_VALUE, Integer.MAX_VALUE);
        Function<Random, String> i8 = r -> integer(r, Long.MIN_VALUE, Long.MAX_VALUE);
        Function<Random, String> f8 = BwFuzzInputs::float8;
        Function<Random, String> txt = r -> text(r, 12);
        Function<Random, String> elementText = r -> r.nextInt(10) == 0 ? pick(r, TEXT_SEEDS) : text(r, 6);
        List<TypeSpec> t = new ArrayList<>();
        t.add(new TypeSpec("int2", "int2", ints(Short.MIN_VALUE, Short.MAX_VALUE, "16")));
        t.add(new TypeSpec("int4", "int4", ints(Integer.MIN_VALUE, Integer.MAX_VALUE, "32")));
        t.add(new TypeSpec("int8", "int8", ints(Long.MIN_VALUE, Long.MAX_VALUE, "64")));
        t.add(new TypeSpec("float4", "float4", gen(FLOAT_SEEDS, f8)));
        t.add(new TypeSpec("float8", "float8", gen(FLOAT_SEEDS, f8)));
        t.add(new TypeSpec("numeric", "numeric", gen(NUMERIC_SEEDS, BwFuzzInputs::numeric)));
        t.add(new TypeSpec("numeric(10,2)", "numeric(10,2)", gen(NUMERIC_SEEDS, BwFuzzInputs::numeric)));
        t.add(new TypeSpec("bool", "bool", gen(BOOL_SEEDS, r -> pick(r, BOOL_SEEDS))));
        t.add(new TypeSpec("text", "text", gen(TEXT_SEEDS, txt)));
        t.add(new TypeSpec("varchar(5)", "varchar(5)", gen(List.of("abcde", "abcdef", "abcde   ", "abcde\t", "ééééé",
                "éééééé", "ab   ", "😀😀😀😀😀 "), r -> text(r, 8))));
        t.add(new TypeSpec("char(5)", "char(5)", gen(List.of("abcde", "abcdef", "abcde   ", "a", "", " ", "ééééé ",
                "a    b"), r -> text(r, 8))));
        t.add(new TypeSpec("name", "name", gen(List.of("n".repeat(63), "n".repeat(64), "n".repeat(62) + "é",
                "n".repeat(61) + "é", "n".repeat(60) + "😀", "n".repeat(62) + "😀", "x".repeat(200), ""),
                r -> "n".repeat(55 + r.nextInt(12)) + text(r, 3))));
        t.add(new TypeSpec("\"char\"", "\"char\"", gen(List.of("", "a", "ab", "\\351", "\\\\351", "\\000", "\\001",
                "\\", "\\\\", "é", "\\377", "\\400", "\\35", "\\3519", "\\x41", " "), r -> text(r, 2))));
        t.add(new TypeSpec("bytea", "bytea", gen(List.of("\\x", "\\x0001ff", "\\x0", "\\xABCDEF", "\\x 01 02",
                "\\x01 02", "\\xzz", "abc", "a\\\\b", "\\001\\002", "\\1", "\\400", "\\\\", "\\", "é", "\\X41"),
                r -> r.nextBoolean() ? "\\x" + java.util.HexFormat.of().formatHex(new byte[r.nextInt(6)])
                        .replace("00", digits(r, 2)) : text(r, 6))));
        t.add(new TypeSpec("uuid", "uuid", gen(List.of("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11",
                "A0EEBC999C0B4EF8BB6D6BB9BD380A11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "{a0eebc999c0b4ef8bb6d6bb9bd380a11",
                "00000000-0000-0000-0000-000000000000", " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), BwFuzzInputs::uuid)));
        t.add(new TypeSpec("date", "date", gen(BwDateTimeValues.DATE_SEEDS, BwDateTimeValues::date)));
        t.add(new TypeSpec("time", "time", gen(BwDateTimeValues.TIME_SEEDS, BwDateTimeValues::time)));
        t.add(new TypeSpec("timetz", "timetz", gen(BwDateTimeValues.TIMETZ_SEEDS, r -> BwDateTimeValues.time(r) + BwDateTimeValues.offset(r))));
        t.add(new TypeSpec("timestamp", "timestamp", gen(BwDateTimeValues.TIMESTAMP_SEEDS, r -> BwDateTimeValues.timestamp(r, false))));
        t.add(new TypeSpec("timestamptz", "timestamptz", gen(BwDateTimeValues.TIMESTAMPTZ_SEEDS, r -> BwDateTimeValues.timestamp(r, true))));
        t.add(new TypeSpec("interval", "interval", gen(BwDateTimeValues.INTERVAL_SEEDS, BwDateTimeValues::interval)));
        t.add(new TypeSpec("json", "json", gen(JSON_SEEDS, r -> json(r, 0))));
        t.add(new TypeSpec("jsonb", "jsonb", gen(JSON_SEEDS, r -> json(r, 0))));
        t.add(new TypeSpec("int4[]", "int4[]", arrays(i4, false, ARRAY_SEEDS)));
        t.add(new TypeSpec("int8[][]", "int8[][]", arrays(i8, true, ARRAY_SEEDS)));
        t.add(new TypeSpec("text[]", "text[]", arrays(elementText, true, TEXT_ARRAY_SEEDS)));
        t.add(new TypeSpec("float8[]", "float8[]", arrays(r -> r.nextInt(4) == 0 ? pick(r, FLOAT_SEEDS) : float8(r),
                false, List.of("{1e3, NaN,-inf}", "{1.5,NaN,-Infinity}", "{1e-300,5e-324}", "{0,-0}"))));
        t.add(new TypeSpec("numeric[]", "numeric[]", arrays(r -> r.nextInt(4) == 0 ? pick(r, NUMERIC_SEEDS) : numeric(r),
                false, List.of("{1.5, NaN}", "{Infinity}", "{ 1 }"))));
        t.add(new TypeSpec("bool[]", "bool[]", arrays(r -> pick(r, BOOL_SEEDS), false, List.of("{t,f}", "{ yes , no }",
                "{true,NULL}"))));
        t.add(new TypeSpec("date[]", "date[]", arrays(r -> r.nextInt(4) == 0 ? pick(r, BwDateTimeValues.DATE_SEEDS) : BwDateTimeValues.date(r), false,
                List.of("{2024-01-01, infinity}", "{2024-01-01,infinity}", "{\"4713-01-01 BC\"}"))));
        t.add(new TypeSpec("timestamptz[]", "timestamptz[]", arrays(r -> r.nextInt(4) == 0 ? pick(r, BwDateTimeValues.TIMESTAMPTZ_SEEDS)
                : BwDateTimeValues.timestamp(r, true), false, List.of("{\"2024-01-01 00:00:00+00\", infinity}"))));
        t.add(new TypeSpec("interval[]", "interval[]", arrays(r -> r.nextInt(4) == 0 ? pick(r, BwDateTimeValues.INTERVAL_SEEDS)
                : BwDateTimeValues.interval(r), false, List.of("{\"1 mon\",\"-2 days +01:00:00\"}", "{\"0 00:00:00\"}"))));
        t.add(new TypeSpec("uuid[]", "uuid[]", arrays(BwFuzzInputs::uuid, false, List.of("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"))));
        t.add(new TypeSpec("bytea[]", "bytea[]", arrays(r -> pick(r, "\\x", "\\x01ff", "abc", "\\001", "\\\\", "\\x0"),
                false, List.of("{\"\\\\x01\"}", "{\\\\x01}", "{\"\\\\001\"}"))));
        t.add(new TypeSpec("jsonb[]", "jsonb[]", arrays(r -> json(r, 1), false, List.of("{\"{\\\"a\\\":1}\"}", "{1,null}"))));
        t.add(new TypeSpec("varchar(3)[]", "varchar(3)[]", arrays(r -> text(r, 5), false, List.of("{abcd}", "{\"abc  \"}"))));
        t.add(new TypeSpec("domain bw_posint", "bw_posint", ints(Integer.MIN_VALUE, Integer.MAX_VALUE, "32")));
        t.add(new TypeSpec("enum bw_mood", "bw_mood", gen(List.of("sad", "ok", "happy", "Sad", " ok", "ok ", "", "happ"),
                r -> pick(r, "sad", "ok", "happy"))));
        return t;
    }

    // ---------------------------------------------------------------- files

    /** The options of a group of inputs, with their line end and the session they load in. */
    record Shape(BwTwin.Options options, String eol, BwSession session) {
    }

    /** A random shape for inputs of {@code type}: a random session only where the type's text depends on it. */
    static Shape shape(Random r, TypeSpec type) {
        boolean csv = r.nextBoolean();
        BwTwin.Options o = csv ? BwTwin.Options.csv() : BwTwin.Options.text();
        if (r.nextInt(10) < 3) {
            o = o.withDelimiter(csv ? pick(r, '|', ';', ':', '\t') : pick(r, '|', ',', ';', ':'));
        }
        if (r.nextInt(10) < 3) {
            o = o.withNull(csv ? pick(r, "NULL", "\\N", "x") : pick(r, "NULL", "", "x", "\\0"));
        }
        if (r.nextInt(20) == 0) {
            o = o.withHeader();
        }
        int e = r.nextInt(10);
        return new Shape(o, e < 7 ? "\n" : e < 9 ? "\r\n" : "\r",
                BwSession.matters(type.name()) ? BwSession.random(r) : BwSession.DEFAULT);
    }

    /** One field as the format writes it (sometimes spelled another legal way). */
    static String field(Random r, BwTwin.Options o, String value) {
        char d = o.delimiter() != null ? o.delimiter() : o.format().equals("csv") ? ',' : '\t';
        if (o.format().equals("csv")) {
            String ns = o.nullString() != null ? o.nullString() : "";
            if (value == null) {
                return ns;
            }
            boolean quote = r.nextInt(5) == 0 || value.equals(ns) || value.equals("\\.") || value.indexOf(d) >= 0
                    || value.indexOf('"') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0;
            return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
        }
        if (value == null) {
            return o.nullString() != null ? o.nullString() : "\\N";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\\') {
                b.append("\\\\");
            } else if (cp == d) {
                b.append(r.nextInt(4) == 0 && d < 0x80 ? String.format("\\x%02x", (int) d) : "\\" + d);
            } else if (cp == '\n') {
                b.append(pick(r, "\\n", "\\n", "\\012", "\\x0a", "\\x0A"));
            } else if (cp == '\r') {
                b.append(pick(r, "\\r", "\\r", "\\015", "\\xd"));
            } else if (cp == '\t' && r.nextBoolean()) {
                b.append(pick(r, "\\t", "\\011", "\\x9"));
            } else if (r.nextInt(40) == 0) {
                byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                for (byte x : bytes) {
                    b.append(r.nextBoolean() ? String.format("\\x%02X", x & 0xFF)
                            : String.format("\\%03o", x & 0xFF));
                }
            } else if (r.nextInt(60) == 0 && "abcdeghijklmopqsuwyz".indexOf(cp) >= 0) {
                b.append('\\').appendCodePoint(cp);   // an escaped ordinary letter is itself
            } else {
                b.appendCodePoint(cp);
            }
        }
        return b.toString();
    }

    /** A file of 1 to 3 rows {@code v, w} for one type, sometimes mutated as bytes. */
    static byte[] input(Random r, TypeSpec type, Shape shape) {
        BwTwin.Options o = shape.options();
        char d = o.delimiter() != null ? o.delimiter() : o.format().equals("csv") ? ',' : '\t';
        StringBuilder b = new StringBuilder();
        int rows = r.nextInt(4) == 0 ? 2 + r.nextInt(2) : 1;
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                b.append(shape.eol());
            }
            b.append(field(r, o, type.values().apply(r)));
            int k = r.nextInt(40);
            if (k > 0) {
                b.append(d).append(field(r, o, r.nextInt(5) == 0 ? null : r.nextInt(8) == 0 ? pick(r, TEXT_SEEDS)
                        : text(r, 3)));
            }
            if (k == 1) {
                b.append(d).append("extra");
            }
        }
        if (r.nextInt(10) < 9) {
            b.append(shape.eol());
        }
        if (r.nextInt(30) == 0) {
            b.append("\\.").append(r.nextBoolean() ? shape.eol() : "").append(r.nextBoolean() ? "after" + shape.eol() : "");
        }
        byte[] data = b.toString().getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(100) < 8) {
            data = mutateBytes(r, data, shape);
        }
        return data;
    }

    static final String[] BYTE_INSERTS = {"\r", "\n", "\r\n", "\\.", "\\.\n", "\"", "\\", "\"\"", "\u00e9", "\u0000"};

    static byte[] mutateBytes(Random r, byte[] data, Shape shape) {
        int at = r.nextInt(data.length + 1);
        byte[] insert;
        switch (r.nextInt(6)) {
            case 0 -> insert = new byte[] {(byte) (int) pick(r, 0xE9, 0xC3, 0xFF, 0x80, 0xED)};
            case 1 -> insert = new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            case 2 -> {
                if (data.length == 0) {
                    return data;
                }
                int from = Math.min(at, data.length - 1);
                byte[] out = new byte[data.length - 1];
                System.arraycopy(data, 0, out, 0, from);
                System.arraycopy(data, from + 1, out, from, data.length - from - 1);
                return out;
            }
            default -> insert = pick(r, BYTE_INSERTS).getBytes(StandardCharsets.UTF_8);
        }
        byte[] out = new byte[data.length + insert.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(data, at, out, at + insert.length, data.length - at);
        return out;
    }
}
