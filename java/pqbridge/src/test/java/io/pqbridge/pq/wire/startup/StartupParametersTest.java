package io.pqbridge.pq.wire.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pqbridge.pq.wire.conninfo.ConnectionOptions;
import io.pqbridge.pq.wire.conninfo.Environment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** libpq's build_startup_packet choice: non-empty values only, its order, the environment's settings last. */
class StartupParametersTest {

    private static Environment environment(Map<String, String> variables) {
        return new Environment() {
            @Override
            public String getenv(String name) {
                return variables.get(name);
            }

            @Override
            public Path home() {
                return null;
            }

            @Override
            public String userName() {
                return "osuser";
            }

            @Override
            public String defaultSocketDirectory() {
                return "/tmp";
            }
        };
    }

    private static List<String> pairs(String conninfo, Map<String, String> variables) throws Exception {
        Environment environment = environment(variables);
        ConnectionOptions options = ConnectionOptions.resolve(conninfo, environment, warning -> { });
        return StartupParameters.of(options, environment).entrySet().stream()
                .flatMap(e -> List.of(e.getKey(), e.getValue()).stream()).toList();
    }

    @Test
    void nonEmptyValuesInLibpqsOrder() throws Exception {
        assertEquals(List.of("user", "u", "database", "d", "options", "-c x=1", "application_name", "fb",
                "client_encoding", "UTF8"), pairs("client_encoding=UTF8 fallback_application_name=fb options='-c x=1' "
                + "replication='' dbname=d user=u", Map.of()));
    }

    @Test
    void applicationNameWinsOverTheFallbackAndDefaultsFillUserAndDatabase() throws Exception {
        assertEquals(List.of("user", "osuser", "database", "osuser", "application_name", "app"),
                pairs("application_name=app fallback_application_name=fb", Map.of()));
    }

    @Test
    void theEnvironmentsSettingsComeLastUnlessTheySayDefault() throws Exception {
        assertEquals(List.of("user", "u", "database", "u", "datestyle", "ISO, DMY", "geqo", "off"),
                pairs("user=u", Map.of("PGDATESTYLE", "ISO, DMY", "PGTZ", "Default", "PGGEQO", "off")));
    }
}
