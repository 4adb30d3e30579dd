package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ByteSink's decimal writers give Long.toString's digits, exactly the requested width when padded,
 * and never write into what is already in the sink (their eight-byte stores reach past the digits).
 */
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

    @Test
    void everyGroupOfEightDigits() {
        // an ASCII odometer beside the arithmetic: all 10^8 values, least significant digit in the highest byte
        byte[] expected = "00000000".getBytes(StandardCharsets.US_ASCII);
        for (int v = 0; v < 100_000_000; v++) {
            long digits = ByteSink.eightDigits(v);
            for (int k = 0; k < 8; k++) {
                if ((byte) (digits >>> 8 * k) != expected[k]) {
                    fail("eightDigits(" + v + ") gave the bytes " + Long.toHexString(Long.reverseBytes(digits)));
                }
            }
            for (int k = 7; k >= 0 && ++expected[k] > '9'; k--) {
                expected[k] = '0';
            }
        }
    }

    @Test
    void randomPointedDigits() {
        Random random = new Random(11);
        ByteSink out = new ByteSink(4);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong() >>> 1 + random.nextInt(63);
            // zero-padded to a width of up to 19, the point anywhere (also first, as in a fraction)
            int width = Math.min(19, Long.toString(v).length() + random.nextInt(3));
            String digits = String.format("%0" + width + "d", v);
            int whole = random.nextInt(digits.length() + 1);
            int start = out.size();
            out.putWithPoint(v, width, whole);
            String expected = digits.substring(0, whole) + (whole < digits.length() ? "." : "") + digits.substring(whole);
            assertEquals(expected, new String(out.array(), start, out.size() - start, StandardCharsets.US_ASCII));
            all.append(expected);
            if (out.size() > 1000) {
                // the eight-byte stores past each number's end never touched an earlier one
                assertEquals(all.toString(), new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII));
                out.clear();
                all.setLength(0);
            }
        }
    }

    @Test
    void pointedDigitsAndWhatFollows() {
        ByteSink out = new ByteSink(4);
        out.putWithPoint(12345678901234567L, 17, 6);
        out.put('|');
        out.putWithPoint(5, 1, 1);
        out.put('|');
        out.putWithPoint(1234, 4, 1);
        out.putPadded(7, 3);
        assertEquals("123456.78901234567|5|1.234007", new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII));
    }

    @Test
    void dateTimeFields() {
        ByteSink out = new ByteSink(4);
        out.putDateTime(2024, 2, 29, 23, 5, 9);
        out.putDateTime(1, 1, 1, 0, 0, 0);
        out.putPair(7);
        assertEquals("2024-02-29 23:05:090001-01-01 00:00:0007", new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII));
        // every value of every field, each field in every lane of the registers it goes through
        Random random = new Random(5);
        StringBuilder all = new StringBuilder();
        out.clear();
        for (int i = 0; i < 200_000; i++) {
            int year = i < 10_000 ? i : random.nextInt(10_000);
            int[] f = new int[5];
            for (int k = 0; k < 5; k++) {
                f[k] = i < 100 ? (i + 20 * k) % 100 : random.nextInt(100);
            }
            out.putDateTime(year, f[0], f[1], f[2], f[3], f[4]);
            all.append(String.format("%04d-%02d-%02d %02d:%02d:%02d", year, f[0], f[1], f[2], f[3], f[4]));
            if (out.size() > 1000) {
                assertEquals(all.toString(), new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII));
                out.clear();
                all.setLength(0);
            }
        }
        assertEquals(all.toString(), new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII));
    }
}
