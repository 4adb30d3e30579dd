package io.pqbridge.pq;

/**
 * One effective connection option of an open connection (an entry of libpq's {@code PQconninfo}
 * that has a value): the keyword as libpq spells it and its value, defaults included.
 *
 * @param keyword the option's keyword, as libpq spells it ({@code host}, {@code sslmode}...)
 * @param value the option's value
 */
public record PgConninfoOption(String keyword, String value) {

    /** Shows the option with a secret value masked ({@link ConninfoSecrets}). */
    @Override
    public String toString() {
        return "PgConninfoOption[keyword=" + keyword + ", value=" + ConninfoSecrets.shown(keyword, value) + "]";
    }
}
