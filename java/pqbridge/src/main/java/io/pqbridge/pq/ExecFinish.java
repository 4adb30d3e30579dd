package io.pqbridge.pq;

/**
 * The waiting half of libpq's blocking calls ({@code PQexecFinish}), shared by the blocking forms
 * of {@link PgConn}: every result of the command is read and the last one kept, except that a COPY
 * result, or a connection that went bad, ends the wait at once (the caller must deal with it).
 */
final class ExecFinish {

    private ExecFinish() {
    }

    static PgResult lastResult(PgConn conn) {
        PgResult last = null;
        PgResult result;
        while ((result = conn.getResult()) != null) {
            last = result;
            PgExecStatus status = result.status();
            if (status.isCopy()
                    || conn.status() == PgConnStatus.BAD) {
                break;
            }
        }
        return last;
    }
}
