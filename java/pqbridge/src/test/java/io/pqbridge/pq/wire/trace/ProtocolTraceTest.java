package io.pqbridge.pq.wire.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.message.frontend.Query;
import io.pqbridge.pq.wire.message.frontend.StartupMessage;
import io.pqbridge.pq.wire.message.frontend.Sync;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sink: a line per message as the output buffer completes it, and a failing stream that ends the trace. */
class ProtocolTraceTest {

    private static final int REGRESS = PgConn.TRACE_SUPPRESS_TIMESTAMPS | PgConn.TRACE_REGRESS_MODE;

    @Test
    void each_completed_message_is_written_at_once_and_startup_packets_are_not() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        OutputBuffer out = new OutputBuffer(64);
        out.trace(new ProtocolTrace(stream, REGRESS, () -> { }));
        StartupMessage.encode(out, 196608, Map.of("user", "u"));
        assertEquals("", stream.toString(StandardCharsets.UTF_8));
        Query.encode(out, "SELECT 1");
        assertEquals("F\t13\tQuery\t \"SELECT 1\"\n", stream.toString(StandardCharsets.UTF_8));
        Sync.encode(out);
        assertEquals("F\t13\tQuery\t \"SELECT 1\"\nF\t4\tSync\n", stream.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_failing_stream_detaches_the_sink_once_and_writes_nothing_more() {
        AtomicInteger writes = new AtomicInteger();
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                writes.incrementAndGet();
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                write(0);
            }
        };
        AtomicInteger detached = new AtomicInteger();
        ProtocolTrace trace = new ProtocolTrace(failing, REGRESS, detached::incrementAndGet);
        OutputBuffer out = new OutputBuffer(64);
        out.trace(trace);
        Sync.encode(out);
        Sync.encode(out);
        trace.flush();
        assertEquals(1, detached.get());
        assertEquals(1, writes.get());
        assertTrue(out.size() > 0, "the messages themselves are still in the buffer, to be sent");
    }
}
