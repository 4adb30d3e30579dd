package io.pqbridge.cli;

import io.pqbridge.Connection;
import java.util.List;
import java.util.Random;

/**
 * The two session settings that decide how the server reads date-time text, and so what a
 * --binary-wire load must read the same way: {@code DateStyle} (the order of a date's fields:
 * {@code 01/02/03} is three different dates in MDY, DMY and YMD) and {@code IntervalStyle}
 * ({@code sql_standard} makes a leading minus apply to every field of an interval). The
 * differential fuzzer loads each date-time batch in a session drawn from these, both through the
 * server's COPY and through --binary-wire, which reads the settings the server reports.
 */
record BwSession(String dateStyle, String intervalStyle) {

    /** PostgreSQL's defaults (initdb's under the C locale). */
    static final BwSession DEFAULT = new BwSession("ISO, MDY", "postgres");

    private static final List<String> DATE_STYLES = List.of("ISO, MDY", "ISO, DMY", "ISO, YMD", "SQL, MDY", "SQL, DMY",
            "SQL, YMD", "Postgres, MDY", "Postgres, DMY", "Postgres, YMD", "German, DMY", "German, MDY");
    private static final List<String> INTERVAL_STYLES = List.of("postgres", "postgres_verbose", "sql_standard",
            "iso_8601");

    /** The default half the time (the common case keeps its share), else any combination. */
    static BwSession random(Random r) {
        if (r.nextBoolean()) {
            return DEFAULT;
        }
        return new BwSession(DATE_STYLES.get(r.nextInt(DATE_STYLES.size())),
                INTERVAL_STYLES.get(r.nextInt(INTERVAL_STYLES.size())));
    }

    /** Whether this type's text depends on the session (dates, times, timestamps, intervals and their arrays). */
    static boolean matters(String typeName) {
        return typeName.contains("date") || typeName.contains("time") || typeName.contains("interval");
    }

    /** Sets both on {@code conn} (the reference COPY then reads as this session does). */
    void apply(Connection conn) {
        conn.execute("SET DateStyle = '" + dateStyle + "'");
        conn.execute("SET IntervalStyle = '" + intervalStyle + "'");
    }

    /** The conninfo that opens a session like this one: the tool's replays connect with it. */
    String conninfo(String base) {
        return base + " options='-c DateStyle=" + dateStyle.replace(" ", "") + " -c IntervalStyle=" + intervalStyle + "'";
    }

    @Override
    public String toString() {
        return "DateStyle '" + dateStyle + "', IntervalStyle '" + intervalStyle + "'";
    }
}
