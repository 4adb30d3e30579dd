package io.pqbridge.testing;

import io.pqbridge.Connection;

/**
 * Something to reproduce on a connection, run by {@link ScenarioRunner} in a child JVM once per
 * backend. The class needs a public no-argument constructor; the child makes one instance, hands
 * it a fresh connection to the runner's server (autocommit off, as {@link Connection#connect}
 * leaves it) and, when {@link #run} returns or throws, reports the exception it ended with and
 * the connection's transaction status. The scenario may close the connection itself; it must not
 * keep threads running that outlive {@code run}, because the child exits right after.
 */
@FunctionalInterface
public interface Scenario {

    /**
     * Does the thing.
     *
     * @param conn a fresh connection to the runner's server, autocommit off; the scenario may close
     *     it
     * @throws Exception anything; it is reported (class, message, SQLSTATE) and exits the child
     *     with 1
     */
    void run(Connection conn) throws Exception;
}
