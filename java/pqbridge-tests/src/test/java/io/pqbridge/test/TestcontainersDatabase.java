package io.pqbridge.test;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The Testcontainers source of {@link TestDatabase}: a PostgreSQL 15 container, used only when a
 * Docker engine answers the probe (which takes well under a second when none does).
 */
final class TestcontainersDatabase {

    private TestcontainersDatabase() {
    }

    static TestDatabase.Holder tryStart() {
        if ("false".equals(System.getenv("PQBRIDGE_TEST_DOCKER"))) {
            return null;
        }
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return null;
            }
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
        @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:15")
                .withCommand("postgres", "-c", "lc_messages=C", "-c", "fsync=off");
        container.start();
        String conninfo = "host=" + container.getHost() + " port=" + container.getFirstMappedPort() + " user="
                + container.getUsername() + " password=" + container.getPassword() + " dbname="
                + container.getDatabaseName() + " sslmode=disable";
        return TestDatabase.containerHolder(conninfo, "Testcontainers " + container.getDockerImageName());
    }
}
