package io.pqbridge.pq;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entry point of the SPI: chooses the backend, like psycopg's {@code PSYCOPG_IMPL}.
 *
 * <p>The system property {@value #PROPERTY}, else the environment variable {@value #ENVIRONMENT}
 * (the property wins; case-insensitive; empty means unset), is read once per JVM, on first use:
 * <ul>
 *   <li>unset: {@code native} if it loads, else {@code java}; if neither loads, the error lists
 *       every attempt;</li>
 *   <li>{@code native} or {@code java}: only that one, its load failure reported with the cause
 *       chained; no fallback;</li>
 *   <li>anything else: fails at once.</li>
 * </ul>
 * Backends are loaded by class name, so choosing {@code java} never loads a class that touches
 * native code. Tests and tools that compare backends side by side use {@link #backend(String)}.
 */
public final class Pq {

    /** The system property that chooses the backend. */
    public static final String PROPERTY = "pqbridge.impl";
    /** The environment variable that chooses the backend when {@link #PROPERTY} is unset. */
    public static final String ENVIRONMENT = "PQBRIDGE_IMPL";

    private static final Map<String, String> CLASSES = Map.of(
            "native", "io.pqbridge.pq.natives.NativeBackend",
            "java", "io.pqbridge.pq.wire.WireBackend");
    private static final List<String> FALLBACK_ORDER = List.of("native", "java");

    /** Per backend name: the loaded backend or the exception its load threw (both cached). */
    private static final Map<String, Object> LOADED = new ConcurrentHashMap<>();

    private Pq() {
    }

    /**
     * {@return the backend chosen for this JVM}
     *
     * @throws BackendUnavailableException when the requested backend is unknown or cannot load, or,
     *     with no request, when no backend loads; the choice is made once, so every call fails
     *     alike
     */
    public static PgBackend backend() {
        return Selection.get();
    }

    /**
     * {@return the name of the backend chosen for this JVM: {@code "native"} or {@code "java"}}
     *
     * @throws BackendUnavailableException as {@link #backend()}
     */
    public static String implementation() {
        return backend().name();
    }

    /**
     * {@return the libpq version of the chosen backend (the runtime libpq for {@code native})}
     *
     * @throws BackendUnavailableException as {@link #backend()}
     */
    public static int libpqVersion() {
        return backend().libpqVersion();
    }

    /**
     * Connects with the chosen backend; see {@link PgBackend#connect}.
     *
     * @param conninfo a connection string, key/value or URI, as libpq accepts it
     * @return the connection, open or failed; the caller finishes it
     * @throws BackendUnavailableException as {@link #backend()}
     */
    public static PgConn connect(String conninfo) {
        return backend().connect(conninfo);
    }

    /**
     * One backend by name, whatever the JVM's choice.
     *
     * @param name {@code "native"} or {@code "java"}, case-insensitive, surrounding blanks ignored
     * @return that backend, loaded once per JVM
     * @throws BackendUnavailableException if the name is unknown or that backend cannot load
     */
    public static PgBackend backend(String name) {
        String key = normalise(name);
        if (!CLASSES.containsKey(key)) {
            throw unknown(name, "the argument");
        }
        Object outcome = load(key);
        if (outcome instanceof PgBackend backend) {
            return backend;
        }
        throw new BackendUnavailableException(
                "couldn't load requested pqbridge '" + key + "' implementation: " + describe((Throwable) outcome),
                (Throwable) outcome);
    }

    /**
     * {@return the names of the backends that load in this JVM, in fallback order ({@code native}
     * first)}
     */
    public static List<String> availableBackends() {
        List<String> names = new ArrayList<>();
        for (String name : FALLBACK_ORDER) {
            if (load(name) instanceof PgBackend) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * {@return the requested backend name from the property or environment, lower-cased and
     * stripped; null if unset}
     */
    public static String requested() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(ENVIRONMENT);
        }
        return value == null || value.isBlank() ? null : normalise(value);
    }

    private static Object load(String name) {
        return LOADED.computeIfAbsent(name, key -> {
            try {
                Class<?> type = Class.forName(CLASSES.get(key), true, Pq.class.getClassLoader());
                return type.getDeclaredConstructor().newInstance();
            } catch (java.lang.reflect.InvocationTargetException e) {
                return e.getCause();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return e;
            }
        });
    }

    private static String normalise(String name) {
        return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    }

    private static BackendUnavailableException unknown(String value, String source) {
        return new BackendUnavailableException("requested pqbridge implementation '" + value + "' unknown (from "
                + source + "); use 'native' or 'java'", null);
    }

    /** Every message of the cause chain: a linkage error's own message often hides the real reason. */
    static String describe(Throwable t) {
        StringBuilder text = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            String message = c.getMessage() == null ? c.getClass().getName() : c.getMessage();
            if (text.indexOf(message) < 0) {
                if (text.length() > 0) {
                    text.append(": ");
                }
                text.append(message);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return text.toString();
    }

    /** The JVM-wide choice, made once on first use and remembered, failure included. */
    private static final class Selection {
        private static final Object OUTCOME = choose();

        static PgBackend get() {
            if (OUTCOME instanceof PgBackend backend) {
                return backend;
            }
            RuntimeException failure = (RuntimeException) OUTCOME;
            throw new BackendUnavailableException(failure.getMessage(), failure.getCause());
        }

        private static Object choose() {
            String requested = requested();
            try {
                if (requested != null) {
                    if (!CLASSES.containsKey(requested)) {
                        String source = System.getProperty(PROPERTY) != null && !System.getProperty(PROPERTY).isBlank()
                                ? "system property " + PROPERTY : "environment variable " + ENVIRONMENT;
                        return unknown(requested, source);
                    }
                    return backend(requested);
                }
                StringBuilder attempts = new StringBuilder("no pq backend available.\nAttempts made:");
                Throwable last = null;
                for (String name : FALLBACK_ORDER) {
                    Object outcome = load(name);
                    if (outcome instanceof PgBackend backend) {
                        return backend;
                    }
                    last = (Throwable) outcome;
                    attempts.append("\n- couldn't load pqbridge '").append(name).append("' implementation: ")
                            .append(describe(last));
                }
                return new BackendUnavailableException(attempts.toString(), last);
            } catch (BackendUnavailableException e) {
                return e;
            }
        }
    }
}
