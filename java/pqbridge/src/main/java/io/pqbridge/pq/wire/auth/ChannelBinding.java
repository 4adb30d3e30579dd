package io.pqbridge.pq.wire.auth;

/**
 * The {@code channel_binding} connection option and the rule libpq enforces with it.
 *
 * <p>{@link #REQUIRE} protects against a server (or a man in the middle) that avoids
 * SCRAM-SHA-256-PLUS: libpq then refuses to answer any request but SASL, and refuses to accept
 * AuthenticationOk unless a SCRAM-SHA-256-PLUS exchange completed. {@link #checkRequest} is that
 * check ({@code check_expected_areq} in libpq); call it for every Authentication request before
 * acting on it.
 */
public enum ChannelBinding {
    DISABLE("disable"),
    PREFER("prefer"),
    REQUIRE("require");

    private static final int AUTH_OK = 0;
    private static final int AUTH_SASL = 10;
    private static final int AUTH_SASL_CONTINUE = 11;
    private static final int AUTH_SASL_FINAL = 12;

    private final String conninfoValue;

    ChannelBinding(String conninfoValue) {
        this.conninfoValue = conninfoValue;
    }

    /** The value as written in a conninfo string. */
    public String conninfoValue() {
        return conninfoValue;
    }

    /**
     * The option's value as libpq validates it when connecting: exact, case-sensitive words; null
     * (unset) means the compiled default {@code prefer}.
     *
     * @throws IllegalArgumentException with libpq's text {@code invalid channel_binding value: "x"}
     */
    public static ChannelBinding parse(String value) {
        if (value == null) {
            return PREFER;
        }
        for (ChannelBinding binding : values()) {
            if (binding.conninfoValue.equals(value)) {
                return binding;
            }
        }
        throw new IllegalArgumentException("invalid channel_binding value: \"" + value + "\"");
    }

    /**
     * libpq's check of an Authentication request against this setting, before the client answers
     * it (or, for AuthenticationOk, accepts it).
     *
     * @param authRequest the request code of the Authentication message (0 Ok, 3 cleartext, 5 MD5,
     *     10 SASL, 11 SASLContinue, 12 SASLFinal, ...)
     * @param scram the SCRAM exchange of this connection attempt, null if none was started
     * @throws AuthenticationException with libpq's text when {@link #REQUIRE} forbids the request
     */
    public void checkRequest(int authRequest, ScramClient scram) throws AuthenticationException {
        if (this != REQUIRE) {
            return;
        }
        switch (authRequest) {
            case AUTH_SASL, AUTH_SASL_CONTINUE, AUTH_SASL_FINAL -> {
                // the SCRAM exchange enforces channel binding itself
            }
            case AUTH_OK -> {
                if (scram == null || !scram.channelBound()) {
                    throw new AuthenticationException(
                            "channel binding required, but server authenticated client without channel binding");
                }
            }
            default -> throw new AuthenticationException(
                    "channel binding required but not supported by server's authentication request");
        }
    }
}
