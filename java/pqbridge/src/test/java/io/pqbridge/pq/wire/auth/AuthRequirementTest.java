package io.pqbridge.pq.wire.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** require_auth's parsing and its check of each Authentication request, with libpq 16's texts. */
class AuthRequirementTest {

    private static String parseError(String value) {
        return assertThrows(IllegalArgumentException.class, () -> AuthRequirement.parse(value)).getMessage();
    }

    private static String refusal(String value, int request, boolean finished) {
        return assertThrows(AuthenticationException.class,
                () -> AuthRequirement.parse(value).checkRequest(request, finished)).getMessage();
    }

    @Test
    void parsingRefusesWhatLibpqRefuses() {
        assertEquals("invalid require_auth value: \"kerberos\"", parseError("kerberos"));
        assertEquals("invalid require_auth value: \"\"", parseError("md5,"));
        assertEquals("require_auth method \"md5\" is specified more than once", parseError("md5,md5"));
        assertEquals("require_auth method \"!md5\" is specified more than once", parseError("!md5,!md5"));
        assertEquals("require_auth method \"none\" is specified more than once", parseError("none,none"));
        assertEquals("require_auth method \"!none\" is specified more than once", parseError("!none,!none"));
        assertEquals("negative require_auth method \"!none\" cannot be mixed with non-negative methods",
                parseError("md5,!none"));
        assertEquals("negative require_auth method \"!md5\" cannot be mixed with non-negative methods",
                parseError("password,!md5"));
        assertEquals("require_auth method \"md5\" cannot be mixed with negative methods", parseError("!password,md5"));
        assertEquals("require_auth method \"sspi\" is specified more than once", parseError("gss,sspi,sspi"));
        assertEquals("require_auth method \"oauth\" is specified more than once", parseError("oauth,oauth"));
        assertEquals("require_auth method \"!oauth\" is specified more than once", parseError("!oauth,!oauth"));
    }

    @Test
    void theSaslMechanismIsHeldToTheMechanismsAllowed() throws Exception {
        // libpq 18: SCRAM and OAuth share the SASL requests, so SASL stays allowed while either is
        AuthRequirement.parse("!scram-sha-256").checkRequest(10, false);
        assertEquals("authentication method requirement \"!scram-sha-256\" failed: server requested SCRAM-SHA-256"
                + " authentication", assertThrows(AuthenticationException.class,
                        () -> AuthRequirement.parse("!scram-sha-256").checkMechanism("SCRAM-SHA-256")).getMessage());
        assertEquals("authentication method requirement \"oauth\" failed: server requested SCRAM-SHA-256-PLUS"
                + " authentication", assertThrows(AuthenticationException.class,
                        () -> AuthRequirement.parse("oauth").checkMechanism("SCRAM-SHA-256-PLUS")).getMessage());
        assertEquals("authentication method requirement \"scram-sha-256\" failed: server requested OAUTHBEARER"
                + " authentication", assertThrows(AuthenticationException.class,
                        () -> AuthRequirement.parse("scram-sha-256").checkMechanism("OAUTHBEARER")).getMessage());
        AuthRequirement.parse("oauth").checkMechanism("OAUTHBEARER");
        AuthRequirement.parse("!oauth").checkMechanism("SCRAM-SHA-256");
        AuthRequirement.NONE.checkMechanism("OAUTHBEARER");
    }

    @Test
    void eachRequestIsCheckedAsLibpqChecksIt() throws Exception {
        AuthRequirement.NONE.checkRequest(3, false);
        AuthRequirement.parse("").checkRequest(0, false);
        AuthRequirement.parse("md5").checkRequest(5, false);
        AuthRequirement.parse("md5").checkRequest(0, true);
        AuthRequirement.parse("scram-sha-256").checkRequest(11, false);
        AuthRequirement.parse("!password").checkRequest(0, false);
        AuthRequirement.parse("none").checkRequest(0, false);
        AuthRequirement.parse("md5,none").checkRequest(0, false);
        assertEquals("authentication method requirement \"md5\" failed: server requested a cleartext password",
                refusal("md5", 3, false));
        assertEquals("authentication method requirement \"scram-sha-256\" failed: server requested a hashed password",
                refusal("scram-sha-256", 5, false));
        assertEquals("authentication method requirement \"md5\" failed: server did not complete authentication",
                refusal("md5", 0, false));
        assertEquals("authentication method requirement \"!scram-sha-256,!oauth\" failed: server requested SASL"
                + " authentication", refusal("!scram-sha-256,!oauth", 10, false));
        assertEquals("authentication method requirement \"password\" failed: server requested GSSAPI authentication",
                refusal("password", 7, false));
        assertEquals("authentication method requirement \"none\" failed: server requested an unknown authentication"
                + " type", refusal("none", 6, false));
        assertEquals("authentication method requirement \"none\" failed: server requested a hashed password",
                refusal("none", 5, false));
    }
}
