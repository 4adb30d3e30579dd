package io.pqbridge.pq.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgExecStatus;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * COPY OUT through the java backend's getCopyData, whose fast path copies runs of CopyData
 * messages in one loop and leaves everything else to the message-by-message path: the payloads,
 * their boundaries and the notices in between must come out the same whatever the caller's
 * buffer and lengths array can hold, including buffers smaller than one message
 * (COPY_BUFFER_TOO_SMALL, then a buffer of the announced size), with tracing on (no fast path)
 * and off. No server: the whole stream is buffered before the first call.
 */
class CopyOutRunTest {

    private static final List<String> ROWS = new ArrayList<>();

    private static byte[] stream() {
        BackendBytes server = new BackendBytes().copyResponse('H', 1);
        for (int i = 0; i < 40; i++) {
            String row = i + "\t" + "v".repeat(i % 7 * 5) + "\n";
            ROWS.add(row);
            server.copyData(row);
            if (i == 11) {
                server.notice(Map.of('S', "NOTICE", 'C', "00000", 'M', "in the middle"));
            }
            if (i == 23) {
                server.copyData(""); // an empty CopyData is skipped, not returned
            }
        }
        return server.commandComplete("COPY 40").ready('I').toByteArray();
    }

    private static final byte[] STREAM = stream();

    @ParameterizedTest(name = "buffer {0} B, {1} lengths, traced {2}")
    @CsvSource({"1,1,false", "7,1,false", "20,2,false", "33,3,false", "64,4096,false", "4096,4096,false",
            "20,2,true", "4096,4096,true"})
    void theSameMessagesWhateverTheBuffer(int bufferSize, int lengthsSize, boolean traced) {
        ProtocolMachine machine = new ProtocolMachine();
        PacedTransport socket = new PacedTransport();
        socket.available(STREAM);
        machine.attach(socket);
        machine.setOk(true);
        machine.setAsync(AsyncStatus.IDLE);
        if (traced) {
            machine.trace(new ByteArrayOutputStream(), 0);
        }
        WireSteps steps = new WireSteps(machine, null);
        assertTrue(machine.sendQuery("COPY t TO STDOUT"));
        assertEquals(1, steps.awaitResult(1000));
        assertEquals(PgExecStatus.COPY_OUT, machine.getResult(0).status());

        List<String> got = new ArrayList<>();
        int[] lengths = new int[lengthsSize];
        ByteBuffer into = ByteBuffer.allocateDirect(bufferSize);
        int calls = 0;
        for (;;) {
            assertTrue(++calls < 10_000, "no end after " + calls + " calls");
            into.clear();
            int n = steps.getCopyData(into, lengths, 1000);
            if (n == PgConn.COPY_END) {
                break;
            }
            if (n == PgConn.COPY_BUFFER_TOO_SMALL) {
                into = ByteBuffer.allocateDirect(steps.pendingCopyLength());
                continue;
            }
            assertTrue(n > 0, "getCopyData returned " + n);
            int at = 0;
            for (int i = 0; i < n; i++) {
                byte[] payload = new byte[lengths[i]];
                into.get(at, payload);
                at += lengths[i];
                got.add(new String(payload, StandardCharsets.UTF_8));
            }
            assertEquals(at, into.position(), "the lengths add up to what was written");
            if (into.capacity() != bufferSize) {
                into = ByteBuffer.allocateDirect(bufferSize);
            }
        }
        assertEquals(ROWS, got);
        assertEquals("in the middle", machine.pollNotice().errorField('M'));
        assertEquals(PgExecStatus.COMMAND_OK, machine.getResult(0).status());
    }
}
