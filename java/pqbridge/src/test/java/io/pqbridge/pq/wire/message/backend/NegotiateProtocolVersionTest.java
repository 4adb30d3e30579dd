package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NegotiateProtocolVersionTest {

    @Test
    void newestMinorAndUnrecognisedOptions() throws Exception {
        assertEquals(new NegotiateProtocolVersion(0, List.of("_pq_.x")),
                decode('v', body().int32(0).int32(1).cstring("_pq_.x")));
    }
}
