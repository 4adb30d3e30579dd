package io.pqbridge.pq.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PQcancel's failure texts (reference 2.1): the failing call and a decimal errno, no strerror. */
class WireCancelTest {

    @TempDir
    Path dir;

    @Test
    void aRefusedTcpConnectIsError111() {
        assertEquals("PQcancel() -- connect() failed: error 111\n",
                new WireCancel(new InetSocketAddress("127.0.0.1", 1), 1, 2).cancel());
    }

    @Test
    void aMissingSocketIsError2() {
        assertEquals("PQcancel() -- connect() failed: error 2\n",
                new WireCancel(UnixDomainSocketAddress.of(dir.resolve(".s.PGSQL.1")), 1, 2).cancel());
    }

    @Test
    void afterReleaseACancelDoesNothingAndSucceeds() {
        WireCancel cancel = new WireCancel(new InetSocketAddress("127.0.0.1", 1), 1, 2);
        cancel.release();
        assertNull(cancel.cancel());
    }
}
