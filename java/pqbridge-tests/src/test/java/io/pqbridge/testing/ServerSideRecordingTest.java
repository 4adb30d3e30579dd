package io.pqbridge.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.testing.Recording.Event;
import io.pqbridge.testing.Recording.Kind;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's own log of a conversation becomes a recording: client bytes in any pieces become the
 * messages the replay checks, each server write one event, and a server side over 16 MB is
 * refused with its size. No connection: the hostile tests replay such recordings on both backends.
 */
class ServerSideRecordingTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] STARTUP = HEX.parseHex("0000000800030000");
    private static final byte[] QUERY = HEX.parseHex("510000000d53454c454354203100");

    @Test
    void clientPiecesBecomeMessagesAndEachServerWriteAnEvent(@TempDir Path dir) throws Exception {
        ServerSideRecording log = new ServerSideRecording();
        int connection = log.opened();
        byte[] client = new byte[STARTUP.length + QUERY.length];
        System.arraycopy(STARTUP, 0, client, 0, STARTUP.length);
        System.arraycopy(QUERY, 0, client, STARTUP.length, QUERY.length);
        assertEquals(0, log.client(connection, client, 0, 3));
        assertEquals(1, log.client(connection, client, 3, 9)); // the startup packet and a piece of the query
        byte[] written = HEX.parseHex("5200000008000000005a0000000549");
        log.server(connection, written, 0, 9);
        log.server(connection, written, 9, 6);
        assertEquals(1, log.client(connection, client, 12, client.length - 12));
        log.serverClosed(connection);
        log.serverClosed(connection);
        log.clientClosed(connection);
        Path file = dir.resolve("log.recording");
        log.build(List.of("class", "Example"), "user=test", List.of("a note")).write(file);
        List<Event> events = Recording.read(file).events();
        assertEquals(List.of(Kind.OPEN, Kind.CLIENT, Kind.SERVER, Kind.SERVER, Kind.CLIENT, Kind.END, Kind.CLOSE),
                events.stream().map(Event::kind).toList());
        assertArrayEquals(STARTUP, events.get(1).bytes());
        assertArrayEquals(HEX.parseHex("520000000800000000"), events.get(2).bytes());
        assertArrayEquals(QUERY, events.get(4).bytes());
        assertNull(events.get(5).bytes());
    }

    @Test
    void aServerSideOver16MegabytesIsRefusedWithItsSize() {
        ServerSideRecording log = new ServerSideRecording();
        int connection = log.opened();
        byte[] megabyte = new byte[1 << 20];
        for (int i = 0; i < 17; i++) {
            log.server(connection, megabyte, 0, megabyte.length); // kept by reference: no 17 MB held
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> log.build(List.of("class", "Example"), "", List.of()));
        assertTrue(e.getMessage().contains("the server wrote 17825792 bytes, over the 16777216"), e.getMessage());
    }
}
