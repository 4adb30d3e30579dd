package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DoubleText gives exactly Double.parseDouble's bits, on hard cases and on millions of random ones. */
class DoubleTextTest {

    private static void assertSameAsJdk(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        double expected = Double.parseDouble(text);
        double actual = DoubleText.parse(b, 0, b.length);
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> text + ": expected " + expected + ", got " + actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "+0", "0.0", "00000.000001e6", "1", "-1", "0.1", "0.3", "1e23", "8.41e21",
        "9007199254740993", "9007199254740992", "9007199254740991", "2.2250738585072011e-308",
        "2.2250738585072012e-308", "2.2250738585072014e-308", "4.9e-324", "5e-324", "2.4703282292062327e-324",
        "2.4703282292062328e-324", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
        "1e308", "1e309", "1e-400", "1e400", "123456789012345678901234567890", "9999999999999999999",
        "18446744073709551615", "18446744073709551616", "0.000000000000000000000000000000000000001",
        "3.141592653589793238462643383279", "7.2057594037927933e16", "1.00000000000000011102230246251565e0",
        "1.0000000000000001110223024625156540423631668090820312500001", "4.35679716e-310", "1e-22", "1e22",
        "1.5e-21", "265553.7173179403", "159395.89581221435", ".5", "5.", "-.5e1", "1E+2", "1e-0"})
    void hardCases(String text) {
        assertSameAsJdk(text);
    }

    @Test
    void randomValues() {
        Random random = new Random(20261123);
        for (int i = 0; i < 300_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong() & 0x7FEFFFFFFFFFFFFFL);
            assertSameAsJdk(Double.toString(d));
            assertSameAsJdk(Double.toString(random.nextDouble() * 1e6));
            assertSameAsJdk((random.nextLong() >>> 11) + "e" + (random.nextInt(80) - 40));
            // halfway between two neighbours: round half to even decides
            double x = Double.longBitsToDouble(((long) (1023 + random.nextInt(400) - 200) << 52)
                    | (random.nextLong() & 0x000FFFFFFFFFFFFFL));
            assertSameAsJdk(new BigDecimal(x).add(new BigDecimal(Math.nextUp(x))).divide(BigDecimal.valueOf(2))
                    .toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1x", "0x10", "1d", " 1", "1 ", "NaN",
        "Infinity", "1e5.5"})
    void refusesWhatIsNotADecimalNumber(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        assertThrows(NumberFormatException.class, () -> DoubleText.parse(b, 0, b.length));
    }
}
