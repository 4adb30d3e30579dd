package io.pqbridge.pq.wire.message.backend;

import static io.pqbridge.pq.wire.message.backend.Bodies.body;
import static io.pqbridge.pq.wire.message.backend.Bodies.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NoticeResponseTest {

    @Test
    void decodesTheFields() throws Exception {
        NoticeResponse n = (NoticeResponse) decode('N',
                body().int8('S').cstring("NOTICE").int8('M').cstring("hello 1").int8(0));
        assertEquals(Map.of('S', "NOTICE", 'M', "hello 1"), n.fields());
    }

    @Test
    void aRepeatedCodeKeepsItsLastValue() throws Exception {
        NoticeResponse n = (NoticeResponse) decode('N', body().int8('M').cstring("a").int8('M').cstring("b").int8(0));
        assertEquals("b", n.fields().get('M'));
    }
}
