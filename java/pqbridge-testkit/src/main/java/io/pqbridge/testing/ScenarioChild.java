package io.pqbridge.testing;

import io.pqbridge.Connection;
import io.pqbridge.errors.PqException;
import io.pqbridge.TransactionStatus;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;

/**
 * The child side of {@link ScenarioRunner}: runs one scenario in this JVM and reports how it ended
 * on one marked last line of standard output, which the parent parses.
 *
 * <p>Arguments: {@code scenario <class> <conninfo>}, {@code builtin <name> <conninfo>} or
 * {@code main <class> [args...]}; the backend comes from {@code -Dpqbridge.impl}, which the parent
 * sets. The line is {@value #MARK} followed by tab-separated {@code key=value} fields with
 * backslash, tab, CR and LF escaped. Exit code 0 when the scenario returned, 1 when it threw.
 */
final class ScenarioChild {

    static final String MARK = "@@pqbridge-outcome";
    private static final int MAX_MESSAGE = 4000;
    /** How long the closing SELECT 1 may take before it is cancelled (a stalled server, say). */
    private static final long PROBE_MILLIS = 10_000;

    private ScenarioChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> report = new LinkedHashMap<>();
        Throwable failure;
        switch (args[0]) {
            case "main" -> failure = runMain(args[1], Arrays.copyOfRange(args, 2, args.length));
            case "scenario", "builtin" -> failure = runScenario(args[0].equals("builtin")
                    ? BuiltinScenario.byName(args[1]) : instantiate(args[1]), args[2], report);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        if (failure != null) {
            System.err.println("the scenario ended with:");
            failure.printStackTrace();
            report.put("exception", failure.getClass().getName());
            String message = String.valueOf(failure.getMessage());
            report.put("message", message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message);
            if (failure instanceof PqException pq && pq.sqlstate() != null) {
                report.put("sqlstate", pq.sqlstate());
            }
        }
        System.out.flush();
        System.out.println();
        System.out.println(encode(report));
        System.out.flush();
        System.exit(failure == null ? 0 : 1);
    }

    private static Throwable runMain(String className, String[] args) throws ReflectiveOperationException {
        Method main = Class.forName(className).getMethod("main", String[].class);
        if (!Modifier.isStatic(main.getModifiers())) {
            throw new IllegalArgumentException(className + ".main is not static");
        }
        try {
            main.invoke(null, (Object) args);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
    }

    private static Scenario instantiate(String className) throws ReflectiveOperationException {
        Class<?> type = Class.forName(className);
        if (!Scenario.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " does not implement " + Scenario.class.getName());
        }
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return (Scenario) constructor.newInstance();
    }

    private static Throwable runScenario(Scenario scenario, String conninfo, Map<String, String> report) {
        Connection conn;
        try {
            conn = Connection.connect(conninfo);
        } catch (Throwable t) {
            return t;
        }
        Throwable failure = null;
        try {
            scenario.run(conn);
        } catch (Throwable t) {
            failure = t;
        }
        TransactionStatus status = conn.info().transactionStatus();
        report.put("status", status.name());
        report.put("usable", String.valueOf(selectOneWorks(conn)));
        conn.close();
        return failure;
    }

    /** SELECT 1 on the connection the scenario left, cancelled if it hangs. */
    private static boolean selectOneWorks(Connection conn) {
        Timer watchdog = new Timer("scenario-probe-watchdog", true);
        watchdog.schedule(new TimerTask() {
            @Override
            public void run() {
                conn.cancel();
            }
        }, PROBE_MILLIS);
        try {
            return conn.execute("SELECT 1").fetchOne().getInt(0) == 1;
        } catch (RuntimeException e) {
            return false;
        } finally {
            watchdog.cancel();
        }
    }

    static String encode(Map<String, String> fields) {
        StringBuilder line = new StringBuilder(MARK);
        fields.forEach((key, value) -> line.append('\t').append(key).append('=').append(escape(value)));
        return line.toString();
    }

    /** The fields of the last marked line in {@code output}; null when there is none. */
    static Map<String, String> decode(String output) {
        int at = output.lastIndexOf(MARK);
        if (at < 0 || (at > 0 && output.charAt(at - 1) != '\n')) {
            return null;
        }
        int end = output.indexOf('\n', at);
        if (end < 0) {
            return null; // cut off mid-line: the child died while writing it
        }
        Map<String, String> fields = new LinkedHashMap<>();
        String line = output.substring(at + MARK.length(), end);
        for (String field : line.split("\t")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                fields.put(field.substring(0, eq), unescape(field.substring(eq + 1)));
            }
        }
        return fields;
    }

    private static String escape(String value) {
        StringBuilder s = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> s.append("\\\\");
                case '\t' -> s.append("\\t");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    private static String unescape(String value) {
        StringBuilder s = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char n = value.charAt(++i);
                s.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }
}
