package io.pqbridge.fuzz;

/**
 * Library bugs the fuzzer found and the library does not fix yet. Each one switches off the
 * operation that reveals it (its weight becomes 0, so the generator never draws it), while the
 * model keeps the documented rule: the suite stays green, and setting the constant to false once
 * the library is fixed turns the check back on. A replay ({@code -Dpqbridge.fuzz.replay}) still
 * runs a switched-off operation, which is how the bug is shown.
 */
final class KnownBugs {

    /**
     * A stream whose connection another thread closes between two rows keeps the connection's lock
     * for good. {@code RowStream.readAhead()} finds the connection closed, marks the stream ended
     * and throws InterfaceException without releasing the lock, and {@code close()} then does
     * nothing since the stream has ended. The stream's own thread does not notice (its calls fail
     * with "the connection is closed" before waiting), but every other thread's locking call on
     * the closed connection ({@code commit()}, {@code rollback()}, {@code setAutocommit()},
     * {@code transaction()}, a cursor's {@code execute()}) waits for the lock forever instead of
     * failing with "the connection is closed". Shown by the one-step sequence
     * {@code autocommit=true:STREAM_CLOSE_FROM_OTHER_THREAD} on both backends, in about three runs
     * of four (the rest close it while the stream waits in getResult, a path that does release),
     * and every time, without a second thread, by: a stream of 10 rows, one read,
     * {@code conn.close()}, {@code hasNext()} (InterfaceException "the connection was closed while
     * the stream was open"), {@code close()} of the stream, then {@code commit()} from another
     * thread, which never returns.
     */
    static final boolean STREAM_KEEPS_LOCK_WHEN_CLOSED_FROM_OTHER_THREAD = true;

    private KnownBugs() {
    }
}
