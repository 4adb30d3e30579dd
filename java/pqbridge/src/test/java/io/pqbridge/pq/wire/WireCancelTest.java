package io.pqbridge.pq.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PQcancel's failure texts (reference 2.1): the failing call and a decimal errno, no strerror. */
class WireCancelTest {

    private static final byte[] KEY = {0, 0, 0, 2};

    @TempDir
    Path dir;

    @Test
    void aRefusedTcpConnectIsError111() {
        assertEquals("PQcancel() -- connect() failed: error 111\n",
                new WireCancel(new InetSocketAddress("127.0.0.1", 1), 1, KEY, TcpSocketOptions.DEFAULTS).cancel());
    }

    @Test
    void aMissingSocketIsError2() {
        assertEquals("PQcancel() -- connect() failed: error 2\n",
                new WireCancel(UnixDomainSocketAddress.of(dir.resolve(".s.PGSQL.1")), 1, KEY, TcpSocketOptions.DEFAULTS).cancel());
    }

    @Test
    void afterReleaseACancelDoesNothingAndSucceeds() {
        WireCancel cancel = new WireCancel(new InetSocketAddress("127.0.0.1", 1), 1, KEY, TcpSocketOptions.DEFAULTS);
        cancel.release();
        assertNull(cancel.cancel());
    }

    @Test
    void aCancelToAServerThatNeverAnswersEndsAtConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    silent.accept(); // and never read, answer or close: a host gone silent
                } catch (IOException e) {
                    // the test ended
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            TcpSocketOptions twoSeconds = new TcpSocketOptions(true, 1, 1, 1, 2000);
            long started = System.nanoTime();
            assertNull(new WireCancel(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()), 1,
                    KEY, twoSeconds).cancel(), "libpq ignores what happens while it waits for the server's close");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis >= 1900 && millis < 5000, "ended after " + millis + " ms");
        }
    }
}
