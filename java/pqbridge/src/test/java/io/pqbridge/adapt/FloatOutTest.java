package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FloatOut prints what the server's float8out/float4out print: known texts, and for many values
 * of every kind the text that a brute-force search over BigDecimal finds (the fewest significant
 * digits strictly inside the value's rounding interval, the nearest of those, in the server's layout).
 */
class FloatOutTest {

    private static String text(double d) {
        ByteSink out = new ByteSink(32);
        FloatOut.putDouble(out, d);
        return new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII);
    }

    private static String text(float f) {
        ByteSink out = new ByteSink(32);
        FloatOut.putFloat(out, f);
        return new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "-0.0, -0", "1, 1", "-1, -1", "0.1, 0.1", "0.3, 0.3", "1.5, 1.5", "100, 100",
        "1e14, 100000000000000", "123456789012345, 123456789012345", "1e15, 1e+15", "1e16, 1e+16",
        "9007199254740992, 9.007199254740992e+15", "1e22, 1e+22", "1e23, 9.999999999999999e+22", "2e23, 1.9999999999999998e+23",
        "0.0001, 0.0001", "0.00012345, 0.00012345", "0.00001, 1e-05", "-2.5e-7, -2.5e-07", "1e300, 1e+300",
        "4.9e-324, 5e-324", "1e-323, 1e-323", "2.2250738585072014e-308, 2.2250738585072014e-308",
        "1.7976931348623157e308, 1.7976931348623157e+308", "123456.78901234567, 123456.78901234567",
        "5e-324, 5e-324", "NaN, NaN", "Infinity, Infinity", "-Infinity, -Infinity", "1e100, 1e+100",
        "1.2345e-100, 1.2345e-100", "3.14159, 3.14159", "1e-4, 0.0001", "9.5367431640625e-7, 9.5367431640625e-07"})
    void doublesAsTheServerPrintsThem(double value, String expected) {
        assertEquals(expected, text(value));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "-0.0, -0", "1, 1", "0.1, 0.1", "1.5, 1.5", "123456, 123456", "1e6, 1e+06",
        "1234567, 1.234567e+06", "16777216, 1.6777216e+07", "1.4e-45, 1e-45", "3.4028235e38, 3.4028235e+38",
        "1.17549435e-38, 1.1754944e-38", "0.0001, 0.0001", "0.00001, 1e-05", "-2.5, -2.5", "NaN, NaN",
        "Infinity, Infinity", "-Infinity, -Infinity", "3.1415927, 3.1415927", "39576992, 3.9576992e+07"})
    void floatsAsTheServerPrintsThem(float value, String expected) {
        assertEquals(expected, text(value));
    }

    @Test
    void doublesOfEveryKindMatchTheBruteForce() {
        Random random = new Random(20261206);
        List<Double> values = new ArrayList<>();
        for (int c = 1; c < 2000; c++) {
            values.add(Double.longBitsToDouble(c));   // the smallest subnormals, one digit or two
        }
        for (int e = -1074; e <= 1023; e++) {
            double p = Math.scalb(1.0, e);   // c = 2^52: the interval below is half as wide
            values.add(p);
            values.add(Math.nextUp(p));
            values.add(Math.nextDown(p));
        }
        for (int e = -323; e <= 308; e++) {
            double p = Double.parseDouble("1e" + e);
            values.add(p);
            values.add(Math.nextUp(p));
            values.add(Math.nextDown(p));
        }
        values.add(Double.MAX_VALUE);
        values.add(Double.MIN_NORMAL);
        values.add(Math.nextDown(Double.MIN_NORMAL));
        for (int i = 0; i < 10_000; i++) {
            values.add(Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL));   // any finite
            values.add(Double.longBitsToDouble(random.nextLong() & 0x000F_FFFF_FFFF_FFFFL));   // subnormal
            values.add((double) (random.nextLong() >>> 11));                                  // integer < 2^53
            values.add((double) random.nextInt(1_000_000));
            values.add(random.nextDouble() * 1e6);                                            // the benchmark's
            values.add(random.nextInt(100_000) / 1000.0);                                     // few digits
        }
        values.removeIf(d -> d == 0);   // zeros are in the known cases: BigDecimal has no -0
        for (double d : values) {
            assertEquals(bruteForce(d, false), text(d), () -> "bits " + Long.toHexString(Double.doubleToLongBits(d)));
            assertEquals(bruteForce(-d, false), text(-d));
        }
    }

    @Test
    void floatsOfEveryKindMatchTheBruteForce() {
        Random random = new Random(20261207);
        List<Float> values = new ArrayList<>();
        for (int c = 1; c < 3000; c++) {
            values.add(Float.intBitsToFloat(c));
        }
        for (int e = -149; e <= 127; e++) {
            float p = Math.scalb(1.0f, e);
            values.add(p);
            values.add(Math.nextUp(p));
            values.add(Math.nextDown(p));
        }
        for (int e = -45; e <= 38; e++) {
            float p = Float.parseFloat("1e" + e);
            values.add(p);
            values.add(Math.nextUp(p));
            values.add(Math.nextDown(p));
        }
        values.add(Float.MAX_VALUE);
        for (int i = 0; i < 40_000; i++) {
            values.add(Float.intBitsToFloat(random.nextInt() & 0x7F7F_FFFF));
            values.add((float) random.nextInt(1 << 24));
            values.add(random.nextFloat() * 1000);
        }
        values.removeIf(f -> f == 0);
        for (float f : values) {
            assertEquals(bruteForce(f, true), text(f), () -> "bits " + Integer.toHexString(Float.floatToIntBits(f)));
            assertEquals(bruteForce(-f, true), text(-f));
        }
    }

    /**
     * The server's text of a finite non-zero value, found the slow way: for 1, 2, ... significant
     * digits, the decimals just below and just above the exact value; the first length where one
     * of them lies strictly between the midpoints to the neighbouring values wins (the server
     * never prints a midpoint), the nearer one if both do (the even last digit on a tie).
     */
    private static String bruteForce(double signed, boolean isFloat) {
        double d = Math.abs(signed);
        BigDecimal exact = new BigDecimal(d);
        BigDecimal below = new BigDecimal(isFloat ? Math.nextDown((float) d) : Math.nextDown(d));
        BigDecimal gapAbove = new BigDecimal(isFloat ? Math.ulp((float) d) : Math.ulp(d));
        BigDecimal half = new BigDecimal("0.5");
        BigDecimal lower = exact.subtract(exact.subtract(below).multiply(half));
        BigDecimal upper = exact.add(gapAbove.multiply(half));
        for (int digits = 1; ; digits++) {
            BigDecimal down = exact.round(new MathContext(digits, RoundingMode.DOWN));
            BigDecimal up = exact.round(new MathContext(digits, RoundingMode.UP));
            boolean downIn = down.compareTo(lower) > 0 && down.compareTo(upper) < 0;
            boolean upIn = up.compareTo(lower) > 0 && up.compareTo(upper) < 0;
            if (downIn || upIn) {
                BigDecimal chosen;
                if (downIn && upIn) {
                    int cmp = exact.subtract(down).compareTo(up.subtract(exact));
                    chosen = cmp < 0 || cmp == 0 && !down.unscaledValue().testBit(0) ? down : up;
                } else {
                    chosen = downIn ? down : up;
                }
                String text = layout(chosen, isFloat ? 6 : 15);
                assertEquals(d, isFloat ? Float.parseFloat(text) : Double.parseDouble(text), text + " reads back");
                return signed < 0 ? "-" + text : text;
            }
        }
    }

    /** d2s.c's layout of a decimal, written here with strings. */
    private static String layout(BigDecimal value, int plainLimit) {
        BigDecimal v = value.stripTrailingZeros();
        String sign = v.signum() < 0 ? "-" : "";
        String digits = v.unscaledValue().abs().toString();
        int first = digits.length() - 1 - v.scale();
        if (first >= -4 && first < plainLimit) {
            return sign + v.abs().toPlainString();
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exponent = String.valueOf(Math.abs(first));
        if (exponent.length() < 2) {
            exponent = "0" + exponent;
        }
        return sign + mantissa + "e" + (first < 0 ? "-" : "+") + exponent;
    }

    @Test
    void logarithmApproximationsAreExactOverTheRangeUsed() {
        for (int e = -1200; e <= 1200; e++) {
            BigDecimal pow2 = e >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(e))
                    : BigDecimal.ONE.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
            assertEquals(floorLog10(pow2), FloatOut.flog10pow2(e), "floor(log10(2^" + e + "))");
            assertEquals(floorLog10(pow2.multiply(new BigDecimal("0.75"))), FloatOut.flog10ThreeQuartersPow2(e),
                    "floor(log10(3/4 * 2^" + e + "))");
        }
        for (int e = -400; e <= 400; e++) {
            int bits = BigInteger.TEN.pow(Math.abs(e)).bitLength();
            int expected = e >= 0 ? bits - 1 : -bits;
            assertEquals(expected, FloatOut.flog2pow10(e), "floor(log2(10^" + e + "))");
        }
    }

    private static int floorLog10(BigDecimal positive) {
        return positive.precision() - positive.scale() - 1;
    }
}
