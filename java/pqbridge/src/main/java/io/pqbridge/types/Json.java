package io.pqbridge.types;

import java.util.Objects;

/**
 * A JSON document for a {@code json} value, as text (psycopg's {@code Json} wrapper; pqbridge does
 * not parse JSON). Pass one as a parameter or COPY value to send {@code json}; {@code json} values
 * read from the server come back as this record, so they round-trip. The text is sent as given:
 * the server validates it.
 *
 * @param value the JSON text, never null
 */
public record Json(String value) {

    /**
     * Wraps a JSON text, unchecked.
     *
     * @param value the JSON text
     * @throws NullPointerException when {@code value} is null
     */
    public Json {
        Objects.requireNonNull(value, "value");
    }
}
