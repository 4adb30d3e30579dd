package io.pqbridge.pq.wire.auth;

import java.util.HashSet;
import java.util.Set;

/**
 * libpq's {@code require_auth} (16, with libpq 18's {@code oauth}): the authentication methods
 * the client lets the server use. A list of {@code password}, {@code md5}, {@code gss},
 * {@code sspi}, {@code scram-sha-256}, {@code oauth} and {@code none} (no authentication exchange
 * at all, as trust or cert give), all plain (only those allowed) or all negated with '!' (all but
 * those). {@link #checkRequest} is libpq's {@code check_expected_areq} for it: every
 * Authentication request is checked before the client answers it, and AuthenticationOk is
 * refused unless the client finished an exchange or "none" is allowed, so that a server cannot
 * skip the proof the caller asked for.
 *
 * <p>The two SASL mechanisms share the SASL request codes, so, as in libpq 18, they are kept as a
 * set of their own: SASL requests are allowed while either mechanism is, and
 * {@link #checkMechanism} then holds the mechanism the client picked to the set.
 *
 * <p>Immutable. {@link #NONE} is the unset option: no requirement.
 */
public final class AuthRequirement {

    /** No {@code require_auth}: every method is allowed, and no exchange is required. */
    public static final AuthRequirement NONE = new AuthRequirement(null, false, -1, Set.of());

    private static final int OK = 0;
    private static final int CLEARTEXT = 3;
    private static final int MD5 = 5;
    private static final int GSS = 7;
    private static final int GSS_CONTINUE = 8;
    private static final int SSPI = 9;
    private static final int SASL = 10;
    private static final int SASL_CONTINUE = 11;
    private static final int SASL_FINAL = 12;

    private final String setting;
    private final boolean exchangeRequired;
    private final int allowed; // bit n: Authentication request code n may be answered
    private final Set<String> mechanisms; // "scram-sha-256", "oauth": the SASL mechanisms allowed

    private AuthRequirement(String setting, boolean exchangeRequired, int allowed, Set<String> mechanisms) {
        this.setting = setting;
        this.exchangeRequired = exchangeRequired;
        this.allowed = allowed;
        this.mechanisms = mechanisms;
    }

    /**
     * The option as libpq 16 validates it when connecting.
     *
     * @param value the option's value; null or empty for none
     * @throws IllegalArgumentException with libpq's text for an unknown method, a method given
     *     twice, or plain and negated methods mixed
     */
    public static AuthRequirement parse(String value) {
        if (value == null || value.isEmpty()) {
            return NONE;
        }
        boolean exchangeRequired = true;
        int allowed = 0;
        boolean negated = false;
        Set<String> mechanisms = new HashSet<>();
        String[] parts = value.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            String method = part;
            if (method.startsWith("!")) {
                if (i == 0) {
                    exchangeRequired = false; // from everything allowed, take away
                    allowed = -1;
                    mechanisms.addAll(SASL_MECHANISMS);
                } else if (!negated) {
                    throw new IllegalArgumentException("negative require_auth method \"" + method
                            + "\" cannot be mixed with non-negative methods");
                }
                negated = true;
                method = method.substring(1);
            } else if (negated) {
                throw new IllegalArgumentException("require_auth method \"" + method
                        + "\" cannot be mixed with negative methods");
            }
            if (method.equals("none")) {
                if (negated == exchangeRequired) {
                    throw duplicate(part);
                }
                exchangeRequired = negated;
                continue;
            }
            if (SASL_MECHANISMS.contains(method)) {
                if (negated ? !mechanisms.remove(method) : !mechanisms.add(method)) {
                    throw duplicate(part);
                }
                continue;
            }
            int bits = switch (method) {
                case "password" -> 1 << CLEARTEXT;
                case "md5" -> 1 << MD5;
                case "gss" -> (1 << GSS) | (1 << GSS_CONTINUE);
                case "sspi" -> (1 << SSPI) | (1 << GSS_CONTINUE);
                default -> throw new IllegalArgumentException("invalid require_auth value: \"" + method + "\"");
            };
            if (negated ? (allowed & bits) == 0 : (allowed & bits) == bits) {
                throw duplicate(part);
            }
            allowed = negated ? allowed & ~bits : allowed | bits;
        }
        int saslBits = (1 << SASL) | (1 << SASL_CONTINUE) | (1 << SASL_FINAL);
        if (!negated && !mechanisms.isEmpty()) {
            allowed |= saslBits;
        } else if (negated && mechanisms.isEmpty()) {
            allowed &= ~saslBits;
        }
        return new AuthRequirement(value, exchangeRequired, allowed, Set.copyOf(mechanisms));
    }

    private static final Set<String> SASL_MECHANISMS = Set.of("scram-sha-256", "oauth");

    /**
     * libpq 18's check, in {@code pg_SASL_init}, of the SASL mechanism the client picked.
     *
     * @param mechanism the picked mechanism's protocol name (SCRAM-SHA-256, SCRAM-SHA-256-PLUS,
     *     OAUTHBEARER)
     * @throws AuthenticationException "... failed: server requested &lt;mechanism&gt; authentication"
     *     when the requirement does not allow it
     */
    public void checkMechanism(String mechanism) throws AuthenticationException {
        String method = mechanism.startsWith("SCRAM-") ? "scram-sha-256" : "oauth";
        if (setting != null && !mechanisms.contains(method)) {
            throw new AuthenticationException("authentication method requirement \"" + setting + "\" failed: server"
                    + " requested " + mechanism + " authentication");
        }
    }

    @Override
    public String toString() {
        return setting == null ? "none" : setting;
    }

    private static IllegalArgumentException duplicate(String part) {
        return new IllegalArgumentException("require_auth method \"" + part + "\" is specified more than once");
    }

    /**
     * libpq's check of an Authentication request against the requirement, before the client
     * answers it (or, for AuthenticationOk, accepts it).
     *
     * @param authRequest the request code (0 Ok, 3 cleartext, 5 MD5, 10-12 SASL, ...)
     * @param clientFinishedAuth whether the client has sent a password or completed a SCRAM
     *     exchange in this attempt
     * @throws AuthenticationException "authentication method requirement "..." failed: ..." with
     *     libpq's reason when the requirement forbids it
     */
    public void checkRequest(int authRequest, boolean clientFinishedAuth) throws AuthenticationException {
        if (setting == null) {
            return;
        }
        String reason;
        if (authRequest == OK) {
            if (!exchangeRequired || clientFinishedAuth) {
                return;
            }
            reason = "server did not complete authentication";
        } else if (authRequest >= CLEARTEXT && authRequest <= SASL_FINAL && authRequest != 4 && authRequest != 6) {
            if ((allowed & (1 << authRequest)) != 0) {
                return;
            }
            reason = description(authRequest);
        } else {
            reason = description(authRequest);
        }
        throw new AuthenticationException("authentication method requirement \"" + setting + "\" failed: " + reason);
    }

    /** libpq's {@code auth_method_description}. */
    private static String description(int authRequest) {
        return switch (authRequest) {
            case CLEARTEXT -> "server requested a cleartext password";
            case MD5 -> "server requested a hashed password";
            case GSS, GSS_CONTINUE -> "server requested GSSAPI authentication";
            case SSPI -> "server requested SSPI authentication";
            case SASL, SASL_CONTINUE, SASL_FINAL -> "server requested SASL authentication";
            default -> "server requested an unknown authentication type";
        };
    }
}
