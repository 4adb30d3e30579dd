package io.pqbridge.pq.wire;

import java.io.IOException;
import java.util.Map;

/**
 * Turns Java's socket exceptions back into what libpq prints: the C library's {@code strerror}
 * text (which the JDK on Linux puts in the exception message, sometimes with decoration) and the
 * errno number ({@code PQcancel} prints numbers, not texts).
 */
final class SocketErrors {

    /** strerror texts on Linux and their errno values. */
    private static final Map<String, Integer> ERRNO = Map.ofEntries(
            Map.entry("Operation not permitted", 1),
            Map.entry("No such file or directory", 2),
            Map.entry("Interrupted system call", 4),
            Map.entry("Permission denied", 13),
            Map.entry("Broken pipe", 32),
            Map.entry("Address already in use", 98),
            Map.entry("Cannot assign requested address", 99),
            Map.entry("Network is down", 100),
            Map.entry("Network is unreachable", 101),
            Map.entry("Connection aborted", 103),
            Map.entry("Software caused connection abort", 103),
            Map.entry("Connection reset by peer", 104),
            Map.entry("No buffer space available", 105),
            Map.entry("Connection timed out", 110),
            Map.entry("Connection refused", 111),
            Map.entry("Host is down", 112),
            Map.entry("No route to host", 113));

    private SocketErrors() {
    }

    /** The strerror text inside a JDK socket exception message. */
    static String strerror(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        for (String text : ERRNO.keySet()) {
            if (message.contains(text)) {
                return text;
            }
        }
        if (message.equals("Connection reset")) {
            return "Connection reset by peer";
        }
        if (message.startsWith("connect timed out") || message.startsWith("Connect timed out")) {
            return "Connection timed out";
        }
        return message.isEmpty() ? e.getClass().getSimpleName() : message;
    }

    /** The errno of a strerror text, 0 when unknown. */
    static int errno(String strerror) {
        return ERRNO.getOrDefault(strerror, 0);
    }

    /** ECONNRESET and EPIPE: libpq reports these as the server having closed the connection. */
    static boolean isConnectionFailure(String strerror) {
        return strerror.equals("Connection reset by peer") || strerror.equals("Broken pipe");
    }
}
