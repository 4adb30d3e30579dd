package io.pqbridge.types;

import java.util.Objects;

/**
 * A JSON document for a {@code jsonb} value, as text (psycopg's {@code Jsonb} wrapper; pqbridge
 * does not parse JSON). Pass one as a parameter or COPY value to send {@code jsonb}; {@code jsonb}
 * values read from the server come back as this record, in the server's normalised form (keys
 * sorted and deduplicated, {@code ": "} and {@code ", "} separators).
 *
 * @param value the JSON text, never null
 */
public record Jsonb(String value) {

    /**
     * Wraps a JSON text, unchecked.
     *
     * @param value the JSON text
     * @throws NullPointerException when {@code value} is null
     */
    public Jsonb {
        Objects.requireNonNull(value, "value");
    }
}
