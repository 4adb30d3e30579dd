package io.pqbridge.pq.wire.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelBindingTest {

    @Test
    void parsesLikeLibpq() {
        assertEquals(ChannelBinding.PREFER, ChannelBinding.parse(null));
        assertEquals(ChannelBinding.REQUIRE, ChannelBinding.parse("require"));
        assertEquals("invalid channel_binding value: \"x\"",
                assertThrows(IllegalArgumentException.class, () -> ChannelBinding.parse("x")).getMessage());
        assertEquals("invalid channel_binding value: \"Require\"",
                assertThrows(IllegalArgumentException.class, () -> ChannelBinding.parse("Require")).getMessage());
    }

    @Test
    void requireRefusesEveryRequestButSasl() throws Exception {
        for (int code : new int[] {10, 11, 12}) {
            ChannelBinding.REQUIRE.checkRequest(code, null);
        }
        for (int code : new int[] {3, 5, 7, 9}) {
            assertEquals("channel binding required but not supported by server's authentication request",
                    assertThrows(AuthenticationException.class, () -> ChannelBinding.REQUIRE.checkRequest(code, null))
                            .getMessage());
        }
        ChannelBinding.PREFER.checkRequest(5, null);
        ChannelBinding.DISABLE.checkRequest(3, null);
    }

    @Test
    void requireAcceptsAuthenticationOkOnlyAfterABoundExchange() throws Exception {
        String message = "channel binding required, but server authenticated client without channel binding";
        assertEquals(message,
                assertThrows(AuthenticationException.class, () -> ChannelBinding.REQUIRE.checkRequest(0, null)).getMessage());
        ScramClient unfinished = ScramClient.start(List.of("SCRAM-SHA-256-PLUS"), true, () -> new byte[32],
                ChannelBinding.REQUIRE, "pw", "nonce");
        assertEquals(message, assertThrows(AuthenticationException.class,
                () -> ChannelBinding.REQUIRE.checkRequest(0, unfinished)).getMessage());
        ChannelBinding.PREFER.checkRequest(0, null);
    }
}
