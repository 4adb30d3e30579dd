package io.pqbridge.cli;

import io.pqbridge.Connection;
import java.util.List;
import java.util.Random;

/**
 * The session settings that decide how the server reads date-time text, and so what a
 * --binary-wire load must read the same way: {@code DateStyle} (the order of a date's fields:
 * {@code 01/02/03} is three different dates in MDY, DMY and YMD), {@code IntervalStyle}
 * ({@code sql_standard} makes a leading minus apply to every field of an interval) and
 * {@code TimeZone} (a timestamptz or timetz written without an offset is in the session's zone:
 * converted by --binary-wire where the zone has one fixed offset, refused elsewhere). The
 * differential fuzzer loads each date-time batch in a session drawn from these, both through the
 * server's COPY and through --binary-wire, which reads the settings the server reports.
 */
record BwSession(String dateStyle, String intervalStyle, String timeZone) {

    /** PostgreSQL's defaults (initdb's under the C locale), in UTC. */
    static final BwSession DEFAULT = new BwSession("ISO, MDY", "postgres", "UTC");

    private static final List<String> DATE_STYLES = List.of("ISO, MDY", "ISO, DMY", "ISO, YMD", "SQL, MDY", "SQL, DMY",
            "SQL, YMD", "Postgres, MDY", "Postgres, DMY", "Postgres, YMD", "German, DMY", "German, MDY");
    private static final List<String> INTERVAL_STYLES = List.of("postgres", "postgres_verbose", "sql_standard",
            "iso_8601");
    /**
     * Zones of one fixed offset (UTC's names, Etc/, POSIX offsets counting west) and regions, whose
     * offsets depend on the date.
     */
    private static final List<String> TIME_ZONES = List.of("UTC", "Etc/GMT+5", "Etc/GMT-14", "<+05:30>-05:30",
            "UTC+3", "GMT", "Europe/Paris", "America/New_York", "Asia/Kolkata");

    /** The default half the time (the common case keeps its share), else any combination. */
    static BwSession random(Random r) {
        if (r.nextBoolean()) {
            return DEFAULT;
        }
        return new BwSession(DATE_STYLES.get(r.nextInt(DATE_STYLES.size())),
                INTERVAL_STYLES.get(r.nextInt(INTERVAL_STYLES.size())), TIME_ZONES.get(r.nextInt(TIME_ZONES.size())));
    }

    /** Whether this type's text depends on the session (dates, times, timestamps, intervals and their arrays). */
    static boolean matters(String typeName) {
        return typeName.contains("date") || typeName.contains("time") || typeName.contains("interval");
    }

    /** Sets all three on {@code conn} (the reference COPY then reads as this session does). */
    void apply(Connection conn) {
        conn.execute("SET DateStyle = '" + dateStyle + "'");
        conn.execute("SET IntervalStyle = '" + intervalStyle + "'");
        conn.execute("SET TimeZone = '" + timeZone + "'");
    }

    /** The conninfo that opens a session like this one: the tool's replays connect with it. */
    String conninfo(String base) {
        return base + " options='-c DateStyle=" + dateStyle.replace(" ", "") + " -c IntervalStyle=" + intervalStyle
                + " -c TimeZone=" + timeZone + "'";
    }

    @Override
    public String toString() {
        return "DateStyle '" + dateStyle + "', IntervalStyle '" + intervalStyle + "', TimeZone '" + timeZone + "'";
    }
}
