package io.pqbridge.bench;

/**
 * One client library inside a worker JVM. {@link #run} opens a fresh connection, runs the
 * workload's untimed preparation on it, then measures the workload alone with a {@link Meter}.
 */
interface Client {

    Measurement run(Workload workload, Contestant contestant, long rows) throws Exception;
}
