package io.pqbridge;

import io.pqbridge.errors.ProgrammingException;
import java.util.Locale;

/**
 * The arithmetic and the refusal shared by {@link Cursor#scroll} and {@link ServerCursor#scroll}
 * (psycopg's {@code scroll(value, mode)}): where a scroll goes, and the exception for a target
 * outside the result, which names the position and the bounds.
 */
final class Scrolling {

    private Scrolling() {
    }

    /** The target index of a scroll from {@code position}. */
    static long target(long position, long value, String mode) {
        String m = mode == null ? "" : mode.toLowerCase(Locale.ROOT);
        return switch (m) {
            case "relative" -> position + value;
            case "absolute" -> value;
            default -> throw new IllegalArgumentException("bad scroll mode: " + mode
                    + ". It should be 'relative' or 'absolute'");
        };
    }

    static ProgrammingException outOfBounds(long target, String why) {
        return new ProgrammingException("cannot scroll to position " + target + ": " + why);
    }
}
