package io.pqbridge.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pqbridge.test.ChildJvms;
import io.pqbridge.test.TestDatabase;
import io.pqbridge.testing.ChildJvm;
import io.pqbridge.testing.ChildResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The buffer-kind matrix: every SPI and facade method that takes a {@code ByteBuffer}, an array
 * with a range, or a stream, called with every kind of buffer (heap, heap slice with an array
 * offset, direct, direct slice, read-only heap and direct, writable and read-only file mappings)
 * at every fill (empty, partial window, exact, position at the limit), and with valid and invalid
 * ranges and well-behaved and failing streams, each backend in a child JVM
 * ({@link BufferMatrixChild}).
 *
 * <p>It holds: no JVM crash on any backend; the same outcome, case for case, on both backends
 * (return value, buffer position, limit and every byte, data stored or read, exception class);
 * a read-only destination is refused with {@code IllegalArgumentException} and left untouched;
 * every other valid case succeeds and leaves the connection usable.
 */
class BufferMatrixTest {

    @Test
    void everyBufferKindBehavesTheSameOnEveryBackendWithoutCrashing() throws InterruptedException {
        Map<String, Path> outputs = new LinkedHashMap<>();
        Map<String, ChildResult> results = ChildJvms.perBackend(backend -> {
            Path output = tempFile(backend.name());
            outputs.put(backend.name(), output);
            return ChildJvm.of(BufferMatrixChild.class)
                    .jvmOptions(ChildJvms.options("-Xmx128m", "-Dpqbridge.impl=" + backend.name()))
                    .args(TestDatabase.conninfo(), output.toString()).timeout(Duration.ofMinutes(3)).run();
        });

        Map<String, List<String>> lines = new LinkedHashMap<>();
        results.forEach((backend, r) -> {
            assertFalse(r.crashed(), backend + " crashed: " + r.describe());
            assertTrue(r.succeeded() && r.stdoutTail().contains(BufferMatrixChild.DONE), backend + ": " + r.describe());
            lines.put(backend, read(outputs.get(backend)));
        });

        List<String> problems = new ArrayList<>();
        lines.forEach((backend, cases) -> cases.forEach(line -> checkExpectation(backend, line, problems)));
        if (lines.size() == 2) {
            List<String> a = lines.get("java");
            List<String> b = lines.get("native");
            assertEquals(a.size(), b.size(), "both backends ran the same cases");
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).equals(b.get(i))) {
                    problems.add("the backends differ:\n  java   " + a.get(i) + "\n  native " + b.get(i));
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " problems:\n" + String.join("\n", problems));
        }
    }

    /** What each case must do whatever the backend; a case's line is: method, kind, fill, outcome. */
    private static void checkExpectation(String backend, String line, List<String> problems) {
        String[] f = line.split("\t", 4);
        String method = f[0];
        String kind = f[1];
        String fill = f[2];
        String outcome = f[3];
        boolean readOnlyDestination = kind.startsWith("READ_ONLY")
                && (method.contains("getCopyData") || method.contains("readInto"));
        boolean invalidArgument = kind.equals("NULL") || fill.startsWith("NEGATIVE") || fill.equals("PAST_END")
                || fill.equals("TOO_LONG") || fill.equals("NULL") || fill.endsWith("_LENGTHS") || fill.equals("FAILING");
        String expectation;
        if (readOnlyDestination) {
            expectation = outcome.startsWith("throws IllegalArgumentException") && !outcome.contains("r0")
                    ? null : "a read-only destination must be refused, untouched";
        } else if (invalidArgument) {
            expectation = outcome.startsWith("throws ") || outcome.contains("throws ")
                    ? null : "an invalid argument or a failing stream must throw";
        } else {
            expectation = !outcome.contains("throws") && outcome.endsWith(" usable")
                    ? null : "must succeed and leave the connection usable";
        }
        if (outcome.contains("UNUSABLE")) {
            expectation = "the connection must stay usable";
        }
        String rows = expectedRows(method, fill);
        if (expectation == null && !invalidArgument && rows != null && !outcome.contains("(" + rows + " rows)")) {
            expectation = "must store " + rows + " rows";
        }
        if (expectation != null) {
            problems.add(backend + ": " + expectation + ": " + line);
        }
    }

    /** How many rows a COPY IN case stores: the window's whole rows; null for a COPY OUT case. */
    private static String expectedRows(String method, String fill) {
        boolean source = method.contains("putCopyData") || method.contains("write") || method.contains("copyIn");
        if (!source) {
            return null;
        }
        return switch (fill) {
            case "EXACT", "WHOLE", "TRICKLE" -> "16";
            case "PARTIAL" -> "12";
            default -> "0";
        };
    }

    private static Path tempFile(String backend) {
        try {
            return Files.createTempFile("buffer-matrix-" + backend, ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The child's lines; the file is removed once read. */
    private static List<String> read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            Files.delete(file);
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
