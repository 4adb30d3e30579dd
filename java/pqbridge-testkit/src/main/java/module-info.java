/**
 * pqbridge's test kit: a throwaway PostgreSQL server, child JVMs and their outcomes, and the
 * crash-reproduction kit (scenarios, runner, verdict table) with its deliberate native crash,
 * which lives here and nowhere an application loads.
 */
module io.pqbridge.testkit {
    requires io.pqbridge;
    requires org.bytedeco.javacpp;

    exports io.pqbridge.testing;
}
