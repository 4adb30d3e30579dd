package io.pqbridge.cli;

import static io.pqbridge.cli.BwFuzzInputs.digits;
import static io.pqbridge.cli.BwFuzzInputs.pick;

import java.util.List;
import java.util.Random;

/**
 * The date and time spellings of BinaryWireDifferentialFuzzTest's inputs ({@link BwFuzzInputs}):
 * the layouts every DateStyle and IntervalStyle prints (ISO, SQL, Postgres, German; postgres,
 * postgres_verbose, sql_standard, iso_8601), the other spellings the server's input functions
 * read, two-digit years, BC, offsets, and fractions of one to nine digits.
 */
final class BwDateTimeValues {

    /** Month names as the input functions read them, in mixed case and length. */
    private static final String[] MONTHS = {"Jan", "February", "mar", "APR", "May", "jun", "July", "aug", "Sep", "oct",
        "November", "dec"};

    private BwDateTimeValues() {
    }

    static String date(Random r) {
        int y = switch (r.nextInt(6)) {
            case 0 -> r.nextInt(10000);
            case 1 -> pick(r, 1, 4713, 4714, 5874897, 5874898, 294276, 294277, 10000, 99999, 1970, 2000, 1999);
            default -> 1900 + r.nextInt(200);
        };
        int m = r.nextInt(20) == 0 ? r.nextInt(14) : 1 + r.nextInt(12);
        int d = r.nextInt(15) == 0 ? r.nextInt(33) : 1 + r.nextInt(28);
        String bc = r.nextInt(10) == 0 ? " BC" : "";
        boolean dayFirst = r.nextBoolean();
        int a = dayFirst ? d : m;
        int b = dayFirst ? m : d;
        return switch (r.nextInt(16)) {
            case 0 -> String.format("%d-%d-%d%s", y, m, d, bc);
            case 1 -> m >= 1 && m <= 12 ? MONTHS[m - 1] + " " + d + ", " + y + bc : "x";
            case 2 -> String.format("%04d%02d%02d", y, m, d);
            case 3 -> String.format("%02d/%02d/%04d%s", a, b, y, bc);                  // SQL
            case 4 -> String.format("%02d-%02d-%04d%s", a, b, y, bc);                  // Postgres
            case 5 -> String.format("%02d.%02d.%04d%s", a, b, y, bc);                  // German
            case 6 -> String.format(pick(r, "%02d/%02d/%02d", "%d-%d-%d", "%02d.%02d.%02d"), a, b, y % 100);
            case 7 -> m >= 1 && m <= 12 ? (dayFirst ? d + " " + MONTHS[m - 1] : MONTHS[m - 1] + " " + d) + " " + y + bc
                    : "x";
            default -> String.format("%04d-%02d-%02d%s", y, m, d, bc);
        };
    }

    static final List<String> DATE_SEEDS = List.of("infinity", "-infinity", "+infinity", "epoch", "today", "now",
            "allballs", "J2451187", "2024-02-29", "2023-02-29", "2024-02-30", "4713-01-01 BC", "4714-11-24 BC",
            "4714-11-23 BC", "5874897-12-31", "5874898-01-01", "0000-01-01", "2024-01-01 10:00:00", "2024-1-1",
            "99-01-08", "1999-01-08 BC", "  2024-01-01  ", "2024-01-01T00:00", "Jan 8 1999", "1/8/1999", "01/02/03",
            "08/01/99", "31.12.1999", "12-31-1999", "31-12-1999", "001/02/03", "20/006/2016");

    static String fraction(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "";
            case 1 -> "." + digits(r, 1 + r.nextInt(6));
            case 2 -> "." + pick(r, "9999995", "9999999", "999999", "0000005", "0000004", "5", "99999949");
            default -> "." + digits(r, 1 + r.nextInt(9));
        };
    }

    static String time(Random r) {
        int h = r.nextInt(12) == 0 ? pick(r, 24, 25, 23, 0) : r.nextInt(24);
        int mi = r.nextInt(20) == 0 ? 60 : r.nextInt(60);
        int s = r.nextInt(20) == 0 ? pick(r, 60, 61, 59) : r.nextInt(60);
        return switch (r.nextInt(8)) {
            case 0 -> h + ":" + mi;
            case 1 -> String.format("%02d:%02d", h, mi);
            case 2 -> (h % 12 + 1) + ":" + String.format("%02d", mi) + pick(r, " AM", " PM", "am", " pm");
            default -> String.format("%02d:%02d:%02d", h, mi, s) + fraction(r);
        };
    }

    static final List<String> TIME_SEEDS = List.of("24:00:00", "24:00:00.000001", "23:59:59.9999995",
            "23:59:59.999999", "23:59:60", "allballs", "now", "00:00", "12:00 PM", "04:05:06.789", "040506", "T040506",
            "4:5", "24:00", "00:00:00.0000005", "23:59:59.99999949");

    static String offset(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> "";
            case 1 -> pick(r, "Z", "z", " UTC", " GMT", "+00", "-00", " PST", " Europe/Paris", " America/New_York",
                    "+15:59", "-15:59", "+16:00", "-15:59:59", "+1559", "+05:30:15", " UTC+3", "+14:00");
            default -> (r.nextBoolean() ? "+" : "-") + String.format("%02d", r.nextInt(16))
                    + (r.nextBoolean() ? ":" + String.format("%02d", r.nextInt(60)) : "");
        };
    }

    static final List<String> TIMETZ_SEEDS = List.of("12:00:00+05:30", "00:00:00-15:59", "23:59:59.999999+15:59",
            "24:00:00+00", "24:00:00-15:59", "23:59:59.9999999+00", "12:00:00", "12:00:00 UTC", "12:00:00Z",
            "12:00:00+16", "04:05:06 PST", "allballs");

    static String timestamp(Random r, boolean tz) {
        String d = date(r);
        String t = time(r);
        String sep = pick(r, " ", " ", " ", "T", "  ");
        String bc = "";
        if (d.endsWith(" BC")) {
            d = d.substring(0, d.length() - 3);
            bc = " BC";
        }
        if (r.nextInt(8) == 0) {   // the Postgres DateStyle's layout, month or day first
            int day = 1 + r.nextInt(28);
            String month = MONTHS[r.nextInt(12)].substring(0, 3);
            return pick(r, "Mon ", "Sat ", "") + (r.nextBoolean() ? month + " " + String.format("%02d", day) : String.format(
                    "%02d", day) + " " + month) + " " + t + " " + (1900 + r.nextInt(200)) + (tz ? offset(r) : "") + bc;
        }
        return d + sep + t + (tz || r.nextInt(8) == 0 ? offset(r) : "") + bc;
    }

    static final List<String> TIMESTAMP_SEEDS = List.of("infinity", "-infinity", "epoch", "now", "today",
            "2020-01-01 23:59:59.9999999", "2020-12-31 23:59:59.9999995", "294276-12-31 23:59:59.999999",
            "294277-01-01 00:00:00", "4713-01-01 00:00:00 BC", "4714-11-24 00:00:00 BC", "4714-11-23 23:59:59 BC",
            "2024-02-29 24:00:00", "2024-01-01 10:00:00+05", "2024-01-01T10:00:00Z", "2024-01-01", "2024-01-01 10:00",
            "2016-12-31 23:59:60", "'2022-07-04'", "2024-01-01 10:00:00 BC", "2024-01-01 10:00:00.123456789",
            "0001-01-01 00:00:00 BC", "1999-01-08 04:05:06 PST", "J2451187 04:05:06");

    static final List<String> TIMESTAMPTZ_SEEDS = List.of("2020-01-01 23:59:59.9999999+00", "infinity", "-infinity",
            "epoch", "2024-06-30 23:59:59.999999+02", "294276-12-31 23:59:59.999999+00", "294276-12-31 23:59:59-01",
            "4714-11-24 00:00:00+00 BC", "4714-11-23 23:00:00-01 BC", "2024-01-01 10:00:00", "2024-01-01 10:00:00 UTC",
            "2024-01-01T10:00:00Z", "2024-01-01 10:00:00.5-03", "2024-01-01 10:00:00+05:30:15", "2024-01-01 00:00:00+15:59",
            "2024-01-01 00:00:00-15:59", "2024-01-01 00:00:00+16", "2024-02-29 23:59:60+00");

    static String interval(Random r) {
        StringBuilder b = new StringBuilder();
        String[] units = {"year", "years", "mon", "mons", "month", "day", "days", "hour", "minute", "second", "week",
            "millisecond", "microsecond", "decade", "century", "millennium", "y", "m", "d", "h", "min", "s"};
        switch (r.nextInt(7)) {
            case 0 -> {
                b.append("P");
                if (r.nextBoolean()) {
                    b.append(r.nextInt(100)).append("Y");
                }
                if (r.nextBoolean()) {
                    b.append(r.nextInt(13)).append("M");
                }
                b.append(r.nextInt(40)).append("D");
                if (r.nextBoolean()) {
                    b.append("T").append(r.nextInt(30)).append("H").append(r.nextInt(70)).append("M")
                            .append(r.nextInt(70)).append(fraction(r).replace(".", r.nextBoolean() ? "." : ",")).append("S");
                }
            }
            case 1 -> b.append("@ ").append(r.nextInt(100)).append(" ").append(pick(r, units)).append(r.nextBoolean() ? " ago" : "");
            case 2 -> {   // as sql_standard prints: years-months, days, time, the sign on the first field or on each
                String sign = pick(r, "", "-", "+");
                b.append(sign).append(r.nextInt(100)).append("-").append(r.nextInt(13));
                if (r.nextBoolean()) {
                    b.append(" ").append(pick(r, "", "-", "+")).append(r.nextInt(40));
                }
                b.append(" ").append(pick(r, "", "-", "+")).append(r.nextInt(30)).append(":").append(String.format("%02d:%02d",
                        r.nextInt(60), r.nextInt(60))).append(fraction(r));
            }
            case 3 -> b.append(r.nextInt(5) - 2).append(":").append(String.format("%02d", r.nextInt(70))).append(":")
                    .append(String.format("%02d", r.nextInt(70))).append(fraction(r));
            default -> {
                int parts = 1 + r.nextInt(4);
                for (int i = 0; i < parts; i++) {
                    long n = r.nextInt(10) == 0 ? r.nextLong() % 300000000L : r.nextInt(200) - 100;
                    b.append(i == 0 ? "" : " ").append(n).append(r.nextInt(6) == 0 ? "." + digits(r, 1 + r.nextInt(7)) : "")
                            .append(" ").append(pick(r, units));
                }
                if (r.nextBoolean()) {
                    b.append(" ").append(pick(r, "", "-", "+")).append(String.format("%02d:%02d:%02d", r.nextInt(30),
                            r.nextInt(60), r.nextInt(60))).append(fraction(r));
                }
            }
        }
        return b.toString();
    }

    static final List<String> INTERVAL_SEEDS = List.of("1 year 2 mons 3 days 04:05:06.789", "-1 days +01:00:00",
            "-178000000 years", "178000000 years", "-178000001 years", "2147483647 days", "2147483648 days",
            "-1 days -00:00:00.000001", "00:00:00.0000005", "0", "@ 1 minute ago", "1 week", "1.5 days", "0.5 mons",
            "P1Y2M3DT4H5M6S", "PT1.5S", "P0.5Y", "1:2:3", "1 2:03:04", "2562047788:00:54.775807",
            "2562047788:00:54.775808", "1 day 24:00:00", "infinity", "", "-1 2:03:04", "1-2", "-1-2 +3 -4:05:06",
            "+1-2 -3 +4:05:06", "-1 -2:03:04", "- 1 day");
}
