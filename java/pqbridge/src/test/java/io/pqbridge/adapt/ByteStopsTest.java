package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time scan against a byte-by-byte one, on every alignment and every byte value. */
class ByteStopsTest {

    private static int naive(byte[] b, int from, int to, int[] stops) {
        for (int i = from; i < to; i++) {
            for (int s : stops) {
                if (b[i] == (byte) s) {
                    return i;
                }
            }
        }
        return to;
    }

    @Test
    void findsTheFirstStopLikeAByteByByteScan() {
        Random random = new Random(42);
        int[][] sets = {{'\n'}, {'\n', '\r', '\\'}, {',', '"'}, {'\n', '\r', '\\', '"', '\''}, {0, 0xff, 0x80, 0x7f, 1},
            {'\n', '\r', '"', '"'}, {',', ',', '"', ',', '"'}, {'\n', '\r', '\\', '"', '"'}};
        for (int[] stops : sets) {
            ByteStops scan = new ByteStops(stops);
            for (int round = 0; round < 20_000; round++) {
                byte[] b = new byte[random.nextInt(40)];
                // mostly bytes next to the stops (borrows between neighbouring values), some stops
                for (int i = 0; i < b.length; i++) {
                    int s = stops[random.nextInt(stops.length)];
                    int pick = random.nextInt(10);
                    b[i] = (byte) (pick == 0 ? s : pick < 4 ? s + 1 : pick < 6 ? s - 1 : random.nextInt(256));
                }
                int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
                int to = from + random.nextInt(b.length - from + 1);
                assertEquals(naive(b, from, to, stops), scan.indexIn(b, from, to));
            }
        }
    }

    @Test
    void aStopAfterAZeroByteIsNotMistakenForAnEarlierOne() {
        // 0x01 just above a zero byte is what the zero-byte test may flag falsely
        ByteStops scan = new ByteStops(0);
        byte[] b = {5, 5, 5, 1, 0, 1, 1, 1, 1, 1, 1};
        assertEquals(4, scan.indexIn(b, 0, b.length));
        assertEquals(b.length, scan.indexIn(b, 5, b.length));
    }

    @Test
    void asciiEndsAtTheFirstNulOrHighByte() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                int pick = random.nextInt(40);
                b[i] = (byte) (pick == 0 ? 0 : pick == 1 ? 0x80 + random.nextInt(128) : pick == 2 ? 1 : 'a' + pick % 26);
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = from;
            while (expected < to && b[expected] > 0) {
                expected++;
            }
            assertEquals(expected, ByteStops.asciiEnd(b, from, to));
        }
    }

    @Test
    void refusesAnEmptyOrOversizedSet() {
        assertThrows(IllegalArgumentException.class, () -> new ByteStops());
        assertThrows(IllegalArgumentException.class, () -> new ByteStops(1, 2, 3, 4, 5, 6));
    }
}
