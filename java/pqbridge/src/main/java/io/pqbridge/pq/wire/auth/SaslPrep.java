package io.pqbridge.pq.wire.auth;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * SASLprep (RFC 4013) of a password, exactly as PostgreSQL's {@code pg_saslprep} applies it, so that
 * the salted password matches the one the server stored.
 *
 * <p>PostgreSQL's quirks, kept on purpose: a pure-ASCII password is used unchanged (control
 * characters included); the prohibited-output, unassigned and bidirectional checks look at the
 * string after the mapping step but before NFKC normalisation; and when the password fails
 * (prohibited characters, an empty result, malformed UTF-16) the caller uses the raw password,
 * as libpq does. Normalisation uses the JDK's Unicode tables, the checks RFC 3454's (Unicode 3.2).
 */
final class SaslPrep {

    private SaslPrep() {
    }

    /** The UTF-8 bytes SCRAM hashes for {@code password}: prepared if possible, else raw. */
    static byte[] passwordBytes(String password) {
        String prepared = prepare(password);
        return (prepared == null ? password : prepared).getBytes(StandardCharsets.UTF_8);
    }

    /** The prepared password, or null where {@code pg_saslprep} would fail. */
    static String prepare(String password) {
        if (password.chars().allMatch(c -> c < 0x80)) {
            return password;
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(password)) {
            return null; // a lone surrogate: libpq's "invalid UTF-8" case
        }
        int[] mapped = password.codePoints()
                .filter(cp -> !in(StringprepTables.MAPPED_TO_NOTHING, cp))
                .map(cp -> in(StringprepTables.NON_ASCII_SPACE, cp) ? ' ' : cp)
                .toArray();
        if (mapped.length == 0) {
            return null;
        }
        boolean randAl = false;
        for (int cp : mapped) {
            if (in(StringprepTables.PROHIBITED_OUTPUT, cp) || in(StringprepTables.UNASSIGNED, cp)) {
                return null;
            }
            randAl |= in(StringprepTables.RAND_AL_CAT, cp);
        }
        if (randAl) {
            for (int cp : mapped) {
                if (in(StringprepTables.L_CAT, cp)) {
                    return null;
                }
            }
            if (!in(StringprepTables.RAND_AL_CAT, mapped[0]) || !in(StringprepTables.RAND_AL_CAT, mapped[mapped.length - 1])) {
                return null;
            }
        }
        return Normalizer.normalize(new String(mapped, 0, mapped.length), Normalizer.Form.NFKC);
    }

    /** Whether {@code cp} lies in one of the sorted inclusive {@code {first, last}} ranges. */
    static boolean in(int[] ranges, int cp) {
        int low = 0;
        int high = ranges.length / 2 - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (cp < ranges[2 * mid]) {
                high = mid - 1;
            } else if (cp > ranges[2 * mid + 1]) {
                low = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }
}
