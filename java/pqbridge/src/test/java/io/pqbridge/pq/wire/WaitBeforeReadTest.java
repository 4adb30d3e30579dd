package io.pqbridge.pq.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.PgExecStatus;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The java backend's blocking loops read a socket only when a read can find something: after a
 * read that drained the socket they wait first, as libpq's pqWait-then-pqReadData does. A read
 * that finds nothing is a system call for nothing, one per round trip and one or two per block of
 * COPY OUT before this rule (they were a fifth of the java backend's COPY OUT client time). Driven
 * over a transport whose bytes arrive only when the client waits for them, as from a server that
 * is slower than the client: no server, no socket.
 */
class WaitBeforeReadTest {

    private final ProtocolMachine machine = new ProtocolMachine();
    private final PacedTransport socket = new PacedTransport();
    private final WireSteps steps = new WireSteps(machine, null);

    WaitBeforeReadTest() {
        machine.attach(socket);
        machine.setOk(true);
        machine.setAsync(AsyncStatus.IDLE);
    }

    @Test
    void aRoundTripWaitsForItsAnswerInsteadOfReadingFirst() {
        for (int i = 0; i < 5; i++) {
            socket.afterWait(new BackendBytes().rowDescription("n").dataRow(Integer.toString(i))
                    .commandComplete("SELECT 1").ready('I').toByteArray());
            int emptyBefore = socket.emptyReads;
            assertTrue(machine.sendQuery("SELECT " + i));
            assertEquals(1, steps.awaitResult(1000));
            PgResult result = machine.getResult(0);
            assertNotNull(result);
            assertEquals(PgExecStatus.TUPLES_OK, result.status());
            assertEquals(Integer.toString(i), result.text(0, 0));
            assertEquals(null, machine.getResult(0));
            if (i > 0) {
                // the first round trip may try a read (nothing was read yet); later ones know the
                // last read drained the socket
                assertEquals(emptyBefore, socket.emptyReads, "round trip " + i + " read a socket with nothing in it");
            }
        }
    }

    @Test
    void copyOutReadsOnlyAfterAWaitOnceTheSocketIsDrained() {
        socket.afterWait(new BackendBytes().copyResponse('H', 1).toByteArray());
        assertTrue(machine.sendQuery("COPY t TO STDOUT"));
        assertEquals(1, steps.awaitResult(1000));
        assertEquals(PgExecStatus.COPY_OUT, machine.getResult(0).status());
        int blocks = 50;
        for (int b = 0; b < blocks; b++) {
            BackendBytes block = new BackendBytes();
            for (int row = 0; row < 90; row++) {
                block.copyData(b + "\t" + row + "\t" + "x".repeat(80) + "\n");
            }
            if (b == blocks - 1) {
                block.commandComplete("COPY " + blocks * 90).ready('I');
            }
            socket.afterWait(block.toByteArray());
        }
        ByteBuffer into = ByteBuffer.allocateDirect(1 << 20);
        int[] lengths = new int[4096];
        int rows = 0;
        int emptyAtStart = socket.emptyReads;
        for (;;) {
            int n = steps.getCopyData(into.clear(), lengths, 1000);
            if (n == PgConn.COPY_END) {
                break;
            }
            assertTrue(n > 0, "getCopyData returned " + n);
            rows += n;
        }
        assertEquals(blocks * 90, rows);
        // one read that finds nothing may start the COPY (the first block has not arrived), none
        // after it; before, each block cost one or two
        assertTrue(socket.emptyReads - emptyAtStart <= 1,
                "reads that found nothing: " + (socket.emptyReads - emptyAtStart) + " for " + blocks + " blocks");
        assertEquals(PgExecStatus.COMMAND_OK, machine.getResult(0).status());
        assertTrue(socket.waits >= blocks, "each block arrived after a wait: " + socket.waits);
    }
}
