package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.Connection;
import io.pqbridge.pq.Pq;
import io.pqbridge.test.TestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The modules as modules: the tool run on the module path ({@code java --module-path ... -m
 * io.pqbridge.cli/io.pqbridge.cli.Main}) from the artifacts of this build, loading a file with
 * each backend. It holds the module descriptors to what the code needs: the library's exports
 * and its {@code uses}, the native module found as the provider of the backend service and its
 * JNI library loaded from its own jar, JavaCPP as a module, the test kit's throwaway server.
 */
@Tag("native")
class ModulePathTest {

    @Test
    void theToolRunsOnTheModulePathWithEitherBackend(@TempDir Path dir) throws Exception {
        List<String> modules = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            boolean ours = name.matches("pqbridge(-native|-testkit|-cli)?-[0-9].*\\.jar") && !name.contains("-tests-");
            if (ours || name.matches("javacpp-[0-9.]+\\.jar")) {
                modules.add(entry);
            }
        }
        assertEquals(5, modules.size(), () -> "the four modules' jars and JavaCPP's on the class path: " + modules);
        Path file = dir.resolve("rows.csv");
        Files.writeString(file, "1,one\n2,two\n3,three\n");
        try (Connection conn = Connection.connect(Pq.backend("java"), TestDatabase.conninfo())) {
            conn.setAutocommit(true);
            conn.execute("DROP TABLE IF EXISTS module_path");
            conn.execute("CREATE TABLE module_path (id int, name text)");
            for (String backend : List.of("native", "java")) {
                List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--module-path", String.join(File.pathSeparator, modules),
                        "-m", "io.pqbridge.cli/io.pqbridge.cli.Main", "load", "--impl", backend,
                        "--dsn", TestDatabase.conninfo(), "--table", "module_path", "--format", "csv", file.toString());
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the tool ended: " + output);
                assertEquals(0, process.exitValue(), output);
                assertTrue(output.contains("3 rows") && output.contains("backend " + backend), output);
            }
            assertEquals(6, Tool.count(conn, "module_path"));
            conn.execute("DROP TABLE module_path");
        }
    }
}
