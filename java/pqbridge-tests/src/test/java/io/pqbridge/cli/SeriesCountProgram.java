package io.pqbridge.cli;

import io.pqbridge.Connection;

/**
 * A client program for {@link RecordCommandTest}: connects with libpq's defaults and PG* variables
 * alone ({@code Connection.connect("")}, the backend from {@code PQBRIDGE_IMPL}), counts the rows
 * of {@code generate_series(1, N)} for the N it is given, prints the count and exits with 0. A
 * different N is a different query: a replay of another N's recording diverges.
 */
public final class SeriesCountProgram {

    private SeriesCountProgram() {
    }

    public static void main(String[] args) {
        try (Connection conn = Connection.connect("")) {
            long n = Long.parseLong(args[0]);
            System.out.println(conn.execute("SELECT count(*) FROM generate_series(1, " + n + ")").fetchOne().getLong(0));
        }
    }
}
