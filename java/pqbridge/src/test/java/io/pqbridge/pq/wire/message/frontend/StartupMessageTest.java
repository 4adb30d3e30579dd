package io.pqbridge.pq.wire.message.frontend;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupMessageTest {

    @Test
    void versionThenPairsInOrderThenNul() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", "root");
        p.put("database", "root");
        p.put("application_name", "lpq_wire");
        OutputBuffer out = new OutputBuffer(16);
        StartupMessage.encode(out, 196608, p);
        Frames.expect().int32(4 + 4 + 5 + 5 + 9 + 5 + 17 + 9 + 1).int32(196608).cstring("user").cstring("root")
                .cstring("database").cstring("root").cstring("application_name").cstring("lpq_wire").int8(0)
                .matches(out);
    }
}
