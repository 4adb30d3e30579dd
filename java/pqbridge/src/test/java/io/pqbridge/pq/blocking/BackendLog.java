package io.pqbridge.pq.blocking;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what the backends' logger ({@code io.pqbridge.pq}) writes while it is open. The
 * default {@link System.Logger} of a JVM with {@code java.logging} writes through that module's
 * loggers; the library's module does not read {@code java.logging}, so this reaches it
 * reflectively (reflection needs no readability) and attaches a {@code StreamHandler}.
 */
final class BackendLog implements AutoCloseable {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Object logger; // held: the logging module keeps its loggers weakly
    private final Object handler;

    BackendLog() throws ReflectiveOperationException {
        System.getLogger("io.pqbridge.pq"); // makes the default finder create the logger first
        Class<?> loggerClass = Class.forName("java.util.logging.Logger");
        Class<?> formatterClass = Class.forName("java.util.logging.Formatter");
        Class<?> handlerClass = Class.forName("java.util.logging.Handler");
        logger = loggerClass.getMethod("getLogger", String.class).invoke(null, "io.pqbridge.pq");
        Object formatter = Class.forName("java.util.logging.SimpleFormatter").getConstructor().newInstance();
        handler = Class.forName("java.util.logging.StreamHandler").getConstructor(OutputStream.class, formatterClass)
                .newInstance(out, formatter);
        loggerClass.getMethod("addHandler", handlerClass).invoke(logger, handler);
    }

    /** {@return everything logged so far, as SimpleFormatter writes it} */
    String text() throws ReflectiveOperationException {
        handler.getClass().getMethod("flush").invoke(handler);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws ReflectiveOperationException {
        Class<?> handlerClass = Class.forName("java.util.logging.Handler");
        logger.getClass().getMethod("removeHandler", handlerClass).invoke(logger, handler);
    }
}
