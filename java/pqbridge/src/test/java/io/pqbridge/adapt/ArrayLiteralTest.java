package io.pqbridge.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pqbridge.errors.DataException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Array text read as PostgreSQL 15's array_in reads it (ServerCopyTest and the CLI tests hold it to a server). */
class ArrayLiteralTest {

    private static ArrayLiteral parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return ArrayLiteral.parse(b, 0, b.length, (d, o, l) -> new String(d, o, l, StandardCharsets.UTF_8));
    }

    private static List<Object> values(String text) {
        return parse(text).values();
    }

    private static String refusal(String text) {
        return assertThrows(DataException.class, () -> parse(text)).getMessage();
    }

    @Test
    void dimensionPrefixesAreCheckedAndTheirLowerBoundsKept() {
        ArrayLiteral zero = parse("[0:1]={5,6}");
        assertEquals(List.of("5", "6"), zero.values());
        assertArrayEquals(new int[] {0}, zero.lowerBounds());
        assertArrayEquals(new int[] {-2, 1}, parse(" [-2:-1][2]={{a,b},{c,d}}").lowerBounds());
        assertEquals(List.of("x"), values("[1]={x}"));
        assertEquals(0, parse("{a}").lowerBounds().length);
        refusal("[1:3]={5,6}");
        refusal("[2:1]={5}");
        refusal("[1 :2]={5,6}");
        assertEquals(List.of("1", "2"), values(" [1:2] = {1,2} "), "white space between the items, not within");
        refusal("[]={}");
        refusal("[1:1]={}");
    }

    @Test
    void elementsAreTrimmedUnescapedAndQuotedAsTheServerDoes() {
        assertEquals(List.of("a", "b"), values("{a, b}"));
        assertEquals(List.of("a b"), values("{  a b  }"));
        assertEquals(List.of("a,b"), values("{a\\,b}"));
        assertEquals(List.of(" x "), values("{\" x \"}"));
        assertEquals(List.of("x "), values("{x\\ }"), "an escaped space is kept");
        assertEquals(Arrays.asList(null, null, "NULL", "NULL"), values("{NULL, nUlL, \"NULL\", \\NULL}"));
        assertEquals(List.of(List.of("1", "2"), List.of("3", "4")), values(" { {1,2} , {3,4} } "));
        assertEquals(List.of(), values("{}"));
        assertEquals(List.of(), values("{ }"));
        assertEquals(List.of(""), values("{\"\"}"));
    }

    @Test
    void whatArrayInRefusesIsRefused() {
        refusal("{a\"b\"}");
        refusal("{\"a\"b}");
        refusal("{a,}");
        refusal("{,a}");
        refusal("{{1},2}");
        refusal("{1,{2}}");
        refusal("{{}}");
        refusal("{a} x");
        refusal("{\"a}");
        refusal("a");
        refusal("{{{{{{{1}}}}}}}");
    }
}
