package io.pqbridge.adapt;

import io.pqbridge.pq.PgConn;
import io.pqbridge.types.AdaptersMap;
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
 * intervals), {@code standard_conforming_strings} (how bytea literals are quoted), and the
 * {@link AdaptersMap} whose registrations come before the built-in conversions.
 *
 * <p>Immutable and thread-safe. The server reports every change of these settings
 * (ParameterStatus), so {@link #of(PgConn)} called per statement always sees the current ones; it
 * returns the previous instance when nothing changed, so calling it often is cheap.
 */
public final class AdaptContext {

    /** A POSIX zone spec: an abbreviation, then an offset in hours west of Greenwich. */
    private static final Pattern POSIX_OFFSET = Pattern.compile(
            "(?:<[^>]*>|[A-Za-z]*)([+-]?)(\\d{1,2})(?::(\\d{2}))?(?::(\\d{2}))?");

    /** {@link #fixedOffsetSeconds()} of a session whose TimeZone has, or may have, more than one offset. */
    static final int NOT_FIXED = Integer.MIN_VALUE;

    /** Names of UTC in every edition of the time zone database, besides {@code Etc/...} (lower case). */
    private static final java.util.Set<String> UTC_NAMES = java.util.Set.of("utc", "uct", "gmt", "greenwich",
            "universal", "zulu");

    /** The server's limit of a UTC offset in a value: 15:59:59. */
    static final int MAX_OFFSET_SECONDS = 15 * 3600 + 59 * 60 + 59;

    /**
     * A session with the server defaults: UTC, {@code ISO, MDY}, {@code postgres}, standard
     * strings, and the global adapters.
     */
    public static final AdaptContext DEFAULT = new AdaptContext("UTC", "ISO, MDY", "postgres", "on",
            AdaptersMap.global(), java.util.Set.of());

    private static volatile AdaptContext last = DEFAULT;

    private final String timeZoneName;
    private final String dateStyle;
    private final String intervalStyle;
    private final String standardConformingStrings;
    private final ZoneId timeZone;
    private final int fixedOffsetSeconds;
    /** Zone abbreviations that the session reads as offset zero, lower case ({@link #withZeroOffsetAbbreviations}). */
    private final java.util.Set<String> zeroOffsetAbbreviations;
    /** The registrations consulted before the built-in conversions, as they were at {@link #adaptersVersion}. */
    private final AdaptersMap adapters;
    private final long adaptersVersion;
    /** Nothing is registered: every lookup goes straight to the built-in conversions. */
    private final boolean noAdapters;
    /** The codecs made for this session's registrations, by OID and by class. */
    final java.util.concurrent.ConcurrentHashMap<Object, Codec> registered = new java.util.concurrent.ConcurrentHashMap<>();

    private AdaptContext(String timeZone, String dateStyle, String intervalStyle, String scs, AdaptersMap adapters,
            java.util.Set<String> zeroOffsetAbbreviations) {
        this.zeroOffsetAbbreviations = zeroOffsetAbbreviations;
        this.timeZoneName = timeZone;
        this.dateStyle = dateStyle;
        this.intervalStyle = intervalStyle;
        this.standardConformingStrings = scs;
        this.timeZone = zone(timeZone);
        this.fixedOffsetSeconds = fixedOffset(timeZone);
        this.adapters = adapters;
        this.adaptersVersion = adapters.version();
        this.noAdapters = adapters.isEmpty();
    }

    /**
     * The settings a connection's server reported; a setting it did not report keeps the default.
     *
     * @param conn an open connection
     * @return the settings; the previous instance when they did not change
     */
    public static AdaptContext of(PgConn conn) {
        return of(conn, AdaptersMap.global());
    }

    /**
     * The settings a connection's server reported, with the registrations of {@code adapters}.
     *
     * @param conn an open connection
     * @param adapters the connection's adapters
     * @return the settings; the previous instance when nothing changed, registrations included
     */
    public static AdaptContext of(PgConn conn, AdaptersMap adapters) {
        return of(conn, adapters, null);
    }

    /**
     * {@link #of(PgConn, AdaptersMap)}, returning {@code previous} when it still describes the
     * connection: each connection keeps its own last context, since the one kept here for all
     * changes whenever two connections (each with its adapters) take turns, as a pool's do.
     *
     * @param conn an open connection
     * @param adapters the connection's adapters
     * @param previous the context this connection used last, or null
     * @return the settings
     */
    public static AdaptContext of(PgConn conn, AdaptersMap adapters, AdaptContext previous) {
        String[] settings = conn.parameterStatuses(SETTINGS);
        if (previous != null && previous.describes(settings, adapters)) {
            return previous;
        }
        return of(settings[0], settings[1], settings[2], settings[3], adapters);
    }

    private boolean describes(String[] settings, AdaptersMap map) {
        return timeZoneName.equals(orDefault(settings[0], DEFAULT.timeZoneName))
                && dateStyle.equals(orDefault(settings[1], DEFAULT.dateStyle))
                && intervalStyle.equals(orDefault(settings[2], DEFAULT.intervalStyle))
                && standardConformingStrings.equals(orDefault(settings[3], DEFAULT.standardConformingStrings))
                && hasAdaptersOf(map);
    }

    /**
     * {@return whether this context consults {@code map}'s registrations as they are now}
     *
     * @param map a connection's adapters
     */
    public boolean hasAdaptersOf(AdaptersMap map) {
        return adapters == map && adaptersVersion == map.version();
    }

    private static String orDefault(String value, String byDefault) {
        return value == null ? byDefault : value;
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
        return of(timeZone, dateStyle, intervalStyle, standardConformingStrings, AdaptersMap.global());
    }

    private static AdaptContext of(String timeZone, String dateStyle, String intervalStyle,
            String standardConformingStrings, AdaptersMap adapters) {
        String tz = orDefault(timeZone, DEFAULT.timeZoneName);
        String ds = orDefault(dateStyle, DEFAULT.dateStyle);
        String is = orDefault(intervalStyle, DEFAULT.intervalStyle);
        String scs = orDefault(standardConformingStrings, DEFAULT.standardConformingStrings);
        AdaptContext previous = last;
        if (previous.timeZoneName.equals(tz) && previous.dateStyle.equals(ds) && previous.intervalStyle.equals(is)
                && previous.standardConformingStrings.equals(scs) && previous.adapters == adapters
                && previous.adaptersVersion == adapters.version()) {
            return previous;
        }
        AdaptContext made = new AdaptContext(tz, ds, is, scs, adapters, java.util.Set.of());
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

    /**
     * {@return the session time zone's offset in seconds east of UTC when it has that one offset at
     * every date in every edition of the time zone database, else {@link #NOT_FIXED}} That holds
     * for UTC and its other names, the {@code Etc/} zones and POSIX offsets ({@code UTC+3},
     * {@code <+03>-03}). A region's offsets at a given date come from the server's copy of the
     * database, which can differ from the JVM's, so no region counts, even one without daylight
     * saving today: the server converts values written in such a zone's local time itself.
     */
    int fixedOffsetSeconds() {
        return fixedOffsetSeconds;
    }

    /**
     * These settings, with {@code abbreviations} read as a UTC offset of zero after a date-time
     * ({@code 2024-01-01T10:00:00Z}, {@code 10:00 UTC}). What an abbreviation means is the
     * session's {@code timezone_abbreviations}, which the server does not report: the caller asks
     * the server ({@code pg_timezone_abbrevs}) and passes those it lists at offset zero.
     *
     * @param abbreviations abbreviations, any case
     * @return a new context; the settings of this one and those abbreviations
     */
    public AdaptContext withZeroOffsetAbbreviations(java.util.Collection<String> abbreviations) {
        java.util.Set<String> lower = new java.util.HashSet<>();
        abbreviations.forEach(a -> lower.add(a.toLowerCase(java.util.Locale.ROOT)));
        return new AdaptContext(timeZoneName, dateStyle, intervalStyle, standardConformingStrings, adapters,
                java.util.Set.copyOf(lower));
    }

    /** Whether {@code b[from, to)}, any case, is an abbreviation the session reads as offset zero. */
    boolean zeroOffsetAbbreviation(byte[] b, int from, int to) {
        return !zeroOffsetAbbreviations.isEmpty()
                && zeroOffsetAbbreviations.contains(new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .toLowerCase(java.util.Locale.ROOT));
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

    /** These settings with the registrations of {@code adapters} (for tests of the registry without a server). */
    AdaptContext withAdapters(AdaptersMap adapters) {
        return new AdaptContext(timeZoneName, dateStyle, intervalStyle, standardConformingStrings, adapters,
                zeroOffsetAbbreviations);
    }

    /** {@return the registrations to consult before the built-in conversions} */
    public AdaptersMap adapters() {
        return adapters;
    }

    /** True when no registration exists: lookups go straight to the built-in conversions. */
    boolean noAdapters() {
        return noAdapters;
    }

    boolean isoDateStyle() {
        return dateStyle.startsWith("ISO");
    }

    boolean postgresIntervalStyle() {
        return intervalStyle.equals("postgres");
    }

    private static int fixedOffset(String name) {
        Matcher m = POSIX_OFFSET.matcher(name);
        int seconds;
        if (m.matches()) {
            seconds = posixSecondsEast(m);
        } else if (UTC_NAMES.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            seconds = 0;
        } else if (name.startsWith("Etc/")) {
            try {
                java.time.zone.ZoneRules rules = ZoneId.of(name).getRules();
                if (!rules.isFixedOffset()) {
                    return NOT_FIXED;
                }
                seconds = rules.getOffset(java.time.Instant.EPOCH).getTotalSeconds();
            } catch (DateTimeException e) {
                return NOT_FIXED;
            }
        } else {
            return NOT_FIXED;
        }
        return Math.abs(seconds) > MAX_OFFSET_SECONDS ? NOT_FIXED : seconds;
    }

    /** A matched {@link #POSIX_OFFSET}'s offset in seconds east of Greenwich (the spec counts west). */
    private static int posixSecondsEast(Matcher m) {
        int seconds = Integer.parseInt(m.group(2)) * 3600 + (m.group(3) == null ? 0 : Integer.parseInt(m.group(3)) * 60)
                + (m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
        return m.group(1).equals("-") ? seconds : -seconds;
    }

    private static ZoneId zone(String name) {
        Matcher m = POSIX_OFFSET.matcher(name);
        if (m.matches()) {
            try {
                return ZoneOffset.ofTotalSeconds(posixSecondsEast(m));
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
                && c.intervalStyle.equals(intervalStyle) && c.standardConformingStrings.equals(standardConformingStrings)
                && c.adapters == adapters && c.adaptersVersion == adaptersVersion
                && c.zeroOffsetAbbreviations.equals(zeroOffsetAbbreviations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeZoneName, dateStyle, intervalStyle, standardConformingStrings, adaptersVersion);
    }

    @Override
    public String toString() {
        return "AdaptContext[TimeZone=" + timeZoneName + ", DateStyle=" + dateStyle + ", IntervalStyle="
                + intervalStyle + ", standard_conforming_strings=" + standardConformingStrings + "]";
    }
}
