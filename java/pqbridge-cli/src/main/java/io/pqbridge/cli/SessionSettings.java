package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.ConnectionInfo;
import io.pqbridge.Row;
import io.pqbridge.adapt.AdaptContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The session settings a {@code --binary-wire} load reads date-time text by, so that it reads it as
 * the server would in that session: TimeZone, DateStyle and IntervalStyle, which the server
 * reports, and the zone abbreviations it reads as UTC ({@code 2024-01-01T10:00:00Z}), which it
 * does not: they depend on {@code timezone_abbreviations}, so they are asked for.
 *
 * <p>Only the universal names of UTC are asked for, and taken only where the session lists them
 * at offset zero: another abbreviation can mean a zone whose offset has changed over time, which
 * the list shows only at today's date.
 */
final class SessionSettings {

    private static final String ZERO_OFFSET_ABBREVIATIONS = "SELECT abbrev FROM pg_timezone_abbrevs"
            + " WHERE utc_offset = interval '0' AND lower(abbrev) IN ('z', 'zulu', 'utc', 'ut', 'gmt')";

    private SessionSettings() {
    }

    /** The settings of {@code conn}'s session; runs one query. */
    static AdaptContext of(Connection conn) {
        ConnectionInfo info = conn.info();
        AdaptContext reported = AdaptContext.of(info.parameterStatus("TimeZone"), info.parameterStatus("DateStyle"),
                info.parameterStatus("IntervalStyle"), info.parameterStatus("standard_conforming_strings"));
        List<String> zero = new ArrayList<>();
        for (Row row : conn.execute(ZERO_OFFSET_ABBREVIATIONS).fetchAll()) {
            zero.add(row.getString(0));
        }
        return reported.withZeroOffsetAbbreviations(zero);
    }
}
