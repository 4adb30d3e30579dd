package io.pqbridge.pq;

/**
 * Runs in a child JVM for {@link BackendSelectionTest}: prints which backend {@link Pq} chose
 * ({@code IMPL=name}) or why it could not ({@code FAIL=message}); with a conninfo argument it also
 * connects and runs a query, to exercise the chosen backend.
 */
public final class BackendSelectionProbe {

    private BackendSelectionProbe() {
    }

    public static void main(String[] args) {
        try {
            System.out.println("IMPL=" + Pq.implementation());
            if (args.length > 0) {
                try (PgConn conn = Pq.connect(args[0])) {
                    if (conn.status() != PgConnStatus.OK || !conn.sendQuery("SELECT 41 + 1")) {
                        System.out.println("QUERY=failed " + conn.errorMessage());
                        return;
                    }
                    PgResult r = conn.getResult();
                    while (conn.getResult() != null) {
                        // drain to the end of the command
                    }
                    System.out.println("QUERY=" + r.text(0, 0));
                }
            }
        } catch (RuntimeException e) {
            System.out.println("FAIL=" + e.getMessage().replace('\n', '|'));
        }
    }
}
