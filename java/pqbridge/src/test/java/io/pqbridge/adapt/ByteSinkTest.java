package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ByteSink's decimal writers give Long.toString's digits, and exactly the requested width when padded. */
class ByteSinkTest {

    private static String decimal(long v) {
        ByteSink out = new ByteSink(4);
        out.putDecimal(v);
        return new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII);
    }

    private static String padded(long v, int width) {
        ByteSink out = new ByteSink(4);
        out.put('x');
        out.putPadded(v, width);
        return new String(out.array(), 1, out.size() - 1, StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 9, 10, 99, 100, 101, -1, -10, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
        Integer.MIN_VALUE, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE + 1})
    void decimalsAsLongToString(long v) {
        assertEquals(Long.toString(v), decimal(v));
    }

    @Test
    void randomDecimalsAndPaddings() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong() >> random.nextInt(64);
            assertEquals(Long.toString(v), decimal(v));
            long positive = v & Long.MAX_VALUE;
            int width = 1 + random.nextInt(19);
            String digits = Long.toString(positive);
            String expected = digits.length() >= width ? digits.substring(digits.length() - width)
                    : "0".repeat(width - digits.length()) + digits;
            assertEquals(expected, padded(positive, width), () -> positive + " in " + width + " digits");
        }
    }

    @Test
    void paddedToTheWidth() {
        assertEquals("0007", padded(7, 4));
        assertEquals("00", padded(0, 2));
        assertEquals("123456", padded(123456, 6));
        assertEquals("000000000012345678901", padded(12345678901L, 21));
    }
}
