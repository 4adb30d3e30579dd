package io.pqbridge.adapt;

import io.pqbridge.pq.PgConn;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The session settings that change how values are read and written: the server's
 * {@code TimeZone} (the offset given to timestamptz values read in binary, so they match what the
 * text format shows), {@code DateStyle} and {@code IntervalStyle} (the text forms of dates and
 * intervals) and {@code standard_conforming_strings} (how bytea literals are quoted).
 *
 * <p>Immutable and thread-safe. The server reports every change of these settings
 * (ParameterStatus), so {@link #of(PgConn)} called per statement always sees the current ones; it
 * returns the previous instance when nothing changed, so calling it often is cheap.
 */
public final class AdaptContext {

    /** A POSIX zone spec: an abbreviation, then an offset in hours west of Greenwich. */
    private static final Pattern POSIX_OFFSET = Pattern.compile(
            "(?:<[^>]*>|[A-Za-z]*)([+-]?)(\\d{1,2})(?::(\\d{2}))?(?::(\\d{2}))?");

    /** A session with the server defaults: UTC, {@code ISO, MDY}, {@code postgres}, standard strings. */
    public static final AdaptContext DEFAULT = new AdaptContext("UTC", "ISO, MDY", "postgres", "on");

    private static volatile AdaptContext last = DEFAULT;

    private final String timeZoneName;
    private final String dateStyle;
    private final String intervalStyle;
    private final String standardConformingStrings;
    private final ZoneId timeZone;

    private AdaptContext(String timeZone, String dateStyle, String intervalStyle, String scs) {
        this.timeZoneName = timeZone;
        this.dateStyle = dateStyle;
        this.intervalStyle = intervalStyle;
        this.standardConformingStrings = scs;
        this.timeZone = zone(timeZone);
    }

    /**
     * The settings a connection's server reported; a setting it did not report keeps the default.
     *
     * @param conn an open connection
     * @return the settings; the previous instance when they did not change
     */
    public static AdaptContext of(PgConn conn) {
        String[] settings = conn.parameterStatuses(SETTINGS);
        return of(settings[0], settings[1], settings[2], settings[3]);
    }

    /** The reported parameters a context is made of, in the order {@link #of(String, String, String, String)} takes them. */
    private static final String[] SETTINGS = {"TimeZone", "DateStyle", "IntervalStyle", "standard_conforming_strings"};

    /**
     * The given settings, as the server spells them; null means the default.
     *
     * @param timeZone the {@code TimeZone} setting, e.g. {@code "Europe/Paris"} or {@code "UTC+3"}
     * @param dateStyle the {@code DateStyle} setting, e.g. {@code "ISO, MDY"}
     * @param intervalStyle the {@code IntervalStyle} setting, e.g. {@code "postgres"}
     * @param standardConformingStrings the {@code standard_conforming_strings} setting,
     *     {@code "on"} or {@code "off"}
     * @return the settings; the previous instance when they did not change
     */
    public static AdaptContext of(String timeZone, String dateStyle, String intervalStyle,
            String standardConformingStrings) {
        String tz = timeZone == null ? DEFAULT.timeZoneName : timeZone;
        String ds = dateStyle == null ? DEFAULT.dateStyle : dateStyle;
        String is = intervalStyle == null ? DEFAULT.intervalStyle : intervalStyle;
        String scs = standardConformingStrings == null ? DEFAULT.standardConformingStrings : standardConformingStrings;
        AdaptContext previous = last;
        if (previous.timeZoneName.equals(tz) && previous.dateStyle.equals(ds) && previous.intervalStyle.equals(is)
                && previous.standardConformingStrings.equals(scs)) {
            return previous;
        }
        AdaptContext made = new AdaptContext(tz, ds, is, scs);
        last = made;
        return made;
    }

    /**
     * {@return the session time zone; UTC when Java cannot interpret the server's zone name} A
     * POSIX specification such as {@code UTC+3} or {@code <+03>-03} counts hours west of Greenwich,
     * as PostgreSQL reads it.
     */
    public ZoneId timeZone() {
        return timeZone;
    }

    /** {@return the server's {@code TimeZone} setting as reported} */
    public String timeZoneName() {
        return timeZoneName;
    }

    /** {@return the server's {@code DateStyle} setting as reported, e.g. {@code "ISO, MDY"}} */
    public String dateStyle() {
        return dateStyle;
    }

    /** {@return the server's {@code IntervalStyle} setting as reported, e.g. {@code "postgres"}} */
    public String intervalStyle() {
        return intervalStyle;
    }

    /**
     * {@return true when {@code standard_conforming_strings} is {@code on}: backslashes in ordinary
     * string literals are literal}
     */
    public boolean standardConformingStrings() {
        return "on".equals(standardConformingStrings);
    }

    boolean isoDateStyle() {
        return dateStyle.startsWith("ISO");
    }

    boolean postgresIntervalStyle() {
        return intervalStyle.equals("postgres");
    }

    private static ZoneId zone(String name) {
        Matcher m = POSIX_OFFSET.matcher(name);
        if (m.matches()) {
            int seconds = Integer.parseInt(m.group(2)) * 3600
                    + (m.group(3) == null ? 0 : Integer.parseInt(m.group(3)) * 60)
                    + (m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
            try {
                return ZoneOffset.ofTotalSeconds(m.group(1).equals("-") ? seconds : -seconds);
            } catch (DateTimeException e) {
                return ZoneOffset.UTC;
            }
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaptContext c && c.timeZoneName.equals(timeZoneName) && c.dateStyle.equals(dateStyle)
                && c.intervalStyle.equals(intervalStyle) && c.standardConformingStrings.equals(standardConformingStrings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeZoneName, dateStyle, intervalStyle, standardConformingStrings);
    }

    @Override
    public String toString() {
        return "AdaptContext[TimeZone=" + timeZoneName + ", DateStyle=" + dateStyle + ", IntervalStyle="
                + intervalStyle + ", standard_conforming_strings=" + standardConformingStrings + "]";
    }
}
