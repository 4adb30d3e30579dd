package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ParameterStatusTest {

    @Test
    void nameAndValue() throws Exception {
        assertEquals(new ParameterStatus("server_encoding", "UTF8"),
                decode('S', body().cstring("server_encoding").cstring("UTF8")));
    }

    @Test
    void utf8Values() throws Exception {
        assertEquals("é", ((ParameterStatus) decode('S', body().cstring("application_name").cstring("é"))).value());
    }
}
