package io.pqbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No two packages of pqbridge depend on each other, directly or through others: the layers
 * (the SPI at the bottom with its backends beside it, then errors and types, adapt, the facade,
 * the tool) only ever point down. Read from the compiled classes by the JDK's {@code jdeps}, so an import
 * that only a Javadoc link needs does not count, and every real use does.
 */
class PackageCyclesTest {

    private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.pqbridge[\\w.]*)\\s+->\\s+(io\\.pqbridge[\\w.]*)\\s");

    @Test
    void packagesFormNoCycle() throws Exception {
        Path classes = Path.of(Connection.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                "-cp", classes.toString(), classes.toString());
        assertEquals(0, status, out::toString);

        Map<String, Set<String>> edges = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                edges.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        assertTrue(edges.containsKey("io.pqbridge") && edges.get("io.pqbridge").contains("io.pqbridge.errors"),
                "jdeps saw the facade use the errors package: " + edges.get("io.pqbridge"));
        List<List<String>> cycles = cycles(edges);
        assertTrue(cycles.isEmpty(), () -> "package cycles: " + cycles);
    }

    /** The strongly connected components of more than one package (Tarjan). */
    private static List<List<String>> cycles(Map<String, Set<String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<List<String>> found = new ArrayList<>();
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) {
                visit(v, edges, index, low, stack, found);
            }
        }
        return found;
    }

    private static void visit(String v, Map<String, Set<String>> edges, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, List<List<String>> found) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : edges.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                visit(w, edges, index, low, stack, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
