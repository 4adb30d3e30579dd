package io.pqbridge.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.testing.Recording.Event;
import io.pqbridge.testing.Recording.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recording file and the framing it rests on, without a server: a file reads back as it was
 * written, plain or compressed; a damaged file is refused with its line; cutting a COPY TO STDOUT
 * keeps what ends it; messages are found whatever pieces their bytes come in.
 */
class RecordingFormatTest {

    private static byte[] message(char type, String body) {
        return MessageFramer.message(type, body.getBytes());
    }

    private static Recording copyOut(int rows) {
        List<Event> events = new ArrayList<>();
        events.add(new Event(Kind.OPEN, 1, 0, null));
        events.add(new Event(Kind.CLIENT, 1, 10, message('Q', "COPY t TO STDOUT\0")));
        events.add(new Event(Kind.SERVER, 1, 20, message('H', "\0\0\0")));
        for (int i = 0; i < rows; i++) {
            events.add(new Event(Kind.SERVER, 1, 30 + i, message('d', i + "\n")));
        }
        events.add(new Event(Kind.SERVER, 1, 1_000_000, message('c', "")));
        events.add(new Event(Kind.SERVER, 1, 1_000_001, message('C', "COPY " + rows + "\0")));
        events.add(new Event(Kind.CLIENT, 1, 2_000_000, null));
        events.add(new Event(Kind.CLOSE, 1, 2_500_000, null));
        events.add(new Event(Kind.END, 1, 2_500_001, null));
        return new Recording(List.of("program", "my tool", "--flag"), "user=u dbname=d", List.of("a note"), events);
    }

    @Test
    void aRecordingReadsBackAsItWasWrittenPlainOrCompressed(@TempDir Path dir) throws Exception {
        Recording written = copyOut(3);
        for (String name : List.of("r.recording", "r.recording.gz")) {
            Path file = dir.resolve(name);
            written.write(file);
            Recording read = Recording.read(file);
            assertEquals(written.scenario(), read.scenario());
            assertEquals(written.conninfo(), read.conninfo());
            assertEquals(written.notes(), read.notes());
            assertEquals(written.events().size(), read.events().size());
            for (int i = 0; i < written.events().size(); i++) {
                Event w = written.events().get(i);
                Event r = read.events().get(i);
                assertEquals(List.of(w.kind(), w.connection(), w.micros()), List.of(r.kind(), r.connection(), r.micros()));
                assertArrayEquals(w.bytes(), r.bytes(), "event " + i);
            }
        }
        assertEquals(0x1f, Files.readAllBytes(dir.resolve("r.recording.gz"))[0] & 0xff);
    }

    @Test
    void aDamagedFileIsRefusedWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.recording");
        Files.writeString(file, "pqbridge-recording 1\nscenario builtin\nopen 1 0.0\nc 1 0.1 zz\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recording.read(file));
        assertTrue(e.getMessage().startsWith(file + " line 4: "), e.getMessage());
        Files.writeString(file, "not a recording\n");
        e = assertThrows(IllegalArgumentException.class, () -> Recording.read(file));
        assertTrue(e.getMessage().contains("is not a pqbridge recording"), e.getMessage());
        Files.writeString(file, "pqbridge-recording 1\nscenario builtin\nsend 1 0.0\n");
        e = assertThrows(IllegalArgumentException.class, () -> Recording.read(file));
        assertTrue(e.getMessage().endsWith("line 3: unknown line 'send'"), e.getMessage());
    }

    @Test
    void cuttingACopyKeepsItsFirstRowsAndWhatEndsIt() {
        Recording cut = copyOut(100).cutCopyOut(5);
        long rows = cut.events().stream().filter(e -> e.kind() == Kind.SERVER && e.bytes()[0] == 'd').count();
        assertEquals(5, rows);
        assertEquals(copyOut(100).events().size() - 95, cut.events().size());
        assertTrue(cut.events().stream().anyMatch(e -> e.kind() == Kind.SERVER && e.bytes()[0] == 'c'));
        assertTrue(cut.notes().get(cut.notes().size() - 1).contains("95 CopyData messages taken out"), cut.notes().toString());
        assertEquals(copyOut(3).events().size(), copyOut(3).cutCopyOut(5).events().size());
        assertEquals(copyOut(3).notes(), copyOut(3).cutCopyOut(5).notes());
    }

    @Test
    void messagesAreFoundWhateverPiecesTheyComeIn() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        byte[] ssl = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};
        byte[] startup = {0, 0, 0, 9, 0, 3, 0, 0, 0};
        List<byte[]> sent = List.of(ssl, startup, message('Q', "SELECT 1\0"), message('X', ""),
                message('d', "x".repeat(70_000)));
        sent.forEach(stream::writeBytes);
        byte[] all = stream.toByteArray();
        for (int piece : new int[] {1, 2, 3, 7, 4096, all.length}) {
            MessageFramer framer = MessageFramer.client();
            List<byte[]> found = new ArrayList<>();
            for (int at = 0; at < all.length; at += piece) {
                found.addAll(framer.feed(all, at, Math.min(piece, all.length - at)));
            }
            assertEquals(sent.size(), found.size(), "pieces of " + piece);
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), found.get(i), "message " + i + " in pieces of " + piece);
            }
            assertTrue(framer.atBoundary());
        }
        MessageFramer framer = MessageFramer.server();
        assertEquals(0, framer.feed(new byte[] {'Z', 0, 0, 0, 2, 'I'}, 0, 6).size());
        assertTrue(framer.broken(), "a length below 4 cannot be framed");
        assertArrayEquals(new byte[] {'Z', 0, 0, 0, 2, 'I'}, framer.unframed());
    }
}
