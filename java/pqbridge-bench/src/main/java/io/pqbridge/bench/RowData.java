package io.pqbridge.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The benchmark's rows, the same for every contestant: row {@code i} (0-based) of
 * {@code (id int8, name text, score float8, at timestamptz, n int4)} is a pure function of
 * {@code i}, so the text file the raw COPY contestants send and the Java objects the typed
 * contestants write hold the same values.
 *
 * <p>Values: {@code id = i + 1}; {@code name} 20 characters of {@code [a-z0-9]}; {@code score} a
 * double in [0, 1e6) with all its digits; {@code at} a microsecond timestamp in 2024 (UTC);
 * {@code n} any int. The text form is COPY's text format (no value needs escaping); a double's
 * text is Java's shortest round-trip form, which PostgreSQL reads back to the same double.
 */
public final class RowData {

    /** The table's column list, for CREATE TABLE. */
    public static final String COLUMNS = "(id int8, name text, score float8, at timestamptz, n int4)";
    /** The column types, for setTypes. */
    public static final String[] TYPES = {"int8", "text", "float8", "timestamptz", "int4"};

    private static final long EPOCH_2024_MICROS = 1_704_067_200_000_000L;
    private static final long YEAR_MICROS = 365L * 24 * 3600 * 1_000_000;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private RowData() {
    }

    public static long id(long i) {
        return i + 1;
    }

    public static String name(long i) {
        long bits = mix(i ^ 0x5bd1e995L);
        long more = mix(bits);
        char[] s = new char[20];
        for (int k = 0; k < 20; k++) {
            long source = k < 10 ? bits : more;
            s[k] = ALPHABET[(int) Long.remainderUnsigned(source >>> (6 * (k % 10)), ALPHABET.length)];
        }
        return new String(s);
    }

    public static double score(long i) {
        return (mix(i + 0x9e3779b97f4a7c15L) >>> 11) * 0x1.0p-53 * 1e6;
    }

    public static long atMicros(long i) {
        return EPOCH_2024_MICROS + Long.remainderUnsigned(mix(i * 31 + 7), YEAR_MICROS);
    }

    public static OffsetDateTime at(long i) {
        long micros = atMicros(i);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L)
                .atOffset(ZoneOffset.UTC);
    }

    public static ZonedDateTime atZoned(long i) {
        return at(i).toZonedDateTime();
    }

    public static int n(long i) {
        return (int) mix(i * 17 + 3);
    }

    /** Row {@code i} as the Java values {@code writeRow} takes (boxed once, here). */
    public static Object[] values(long i) {
        return new Object[] {id(i), name(i), score(i), at(i), n(i)};
    }

    /** Row {@code i} in COPY text format, with its line feed. */
    public static String textLine(long i) {
        OffsetDateTime at = at(i);
        StringBuilder s = new StringBuilder(96).append(id(i)).append('\t').append(name(i)).append('\t')
                .append(score(i)).append('\t');
        pad(s, at.getYear(), 4).append('-');
        pad(s, at.getMonthValue(), 2).append('-');
        pad(s, at.getDayOfMonth(), 2).append(' ');
        pad(s, at.getHour(), 2).append(':');
        pad(s, at.getMinute(), 2).append(':');
        pad(s, at.getSecond(), 2).append('.');
        pad(s, at.getNano() / 1000, 6).append("+00\t");
        return s.append(n(i)).append('\n').toString();
    }

    private static StringBuilder pad(StringBuilder s, int value, int width) {
        String digits = Integer.toString(value);
        for (int k = digits.length(); k < width; k++) {
            s.append('0');
        }
        return s.append(digits);
    }

    /** Writes rows {@code [0, rows)} in COPY text format to {@code file}; returns its size. */
    public static long writeTextFile(Path file, long rows) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (long i = 0; i < rows; i++) {
                out.write(textLine(i).getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark data to " + file, e);
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SplitMix64's finaliser: a cheap, well-spread hash of {@code x}. */
    private static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }
}
