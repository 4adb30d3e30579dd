package io.pqbridge.pq.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** libpq's pqBuildErrorMessage3 and reportErrorPosition (reference section 5.4). */
class ErrorMessageFormatTest {

    private static Map<Character, String> fields(String... codeValues) {
        Map<Character, String> f = new LinkedHashMap<>();
        for (int i = 0; i < codeValues.length; i += 2) {
            f.put(codeValues[i].charAt(0), codeValues[i + 1]);
        }
        return f;
    }

    @Test
    void severityPrimaryAndTheCursorLine() {
        assertEquals("ERROR:  syntax error at or near \"SELEC\"\nLINE 1: SELEC 1\n        ^\n",
                ErrorMessageFormat.format(fields("S", "ERROR", "M", "syntax error at or near \"SELEC\"", "P", "1"),
                        "SELEC 1", true));
    }

    @Test
    void withoutTheQueryThePositionIsText() {
        assertEquals("ERROR:  syntax error at or near \"SELEC\" at character 1\n",
                ErrorMessageFormat.format(fields("S", "ERROR", "M", "syntax error at or near \"SELEC\"", "P", "1"),
                        null, true));
    }

    @Test
    void detailHintQueryAndContextOnlyForErrors() {
        Map<Character, String> f = fields("S", "ERROR", "M", "boom", "D", "dd", "H", "hh", "p", "15",
                "q", "SELECT * FROM lpq_nosuch", "W", "PL/pgSQL function inline_code_block line 1 at EXECUTE");
        assertEquals("ERROR:  boom\nLINE 1: SELECT * FROM lpq_nosuch\n                      ^\n"
                + "DETAIL:  dd\nHINT:  hh\nQUERY:  SELECT * FROM lpq_nosuch\n"
                + "CONTEXT:  PL/pgSQL function inline_code_block line 1 at EXECUTE\n",
                ErrorMessageFormat.format(f, null, true));
        assertEquals("WARNING:  careful\nDETAIL:  dd\n", ErrorMessageFormat.format(
                fields("S", "WARNING", "M", "careful", "D", "dd", "W", "ctx"), null, false));
    }

    @Test
    void longLinesAreCutToASixtyColumnWindow() {
        String query = "SELECT aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa + "
                + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb + nosuch_col + cccccccccccccccccccccccccccccccccccccc FROM t";
        int position = query.indexOf("nosuch_col") + 1;
        String message = ErrorMessageFormat.format(fields("S", "ERROR", "M", "x", "P", Integer.toString(position)),
                query, true);
        String[] lines = message.split("\n");
        assertEquals("LINE 1: ...aaaaaaaaaaaa + bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb + nosuch_col...", lines[1],
                "the window keeps 10 columns right of the cursor and cuts both ends (reference 5.4, observed)");
        assertEquals(lines[1].indexOf("nosuch_col"), lines[2].indexOf('^'));
    }

    @Test
    void linesTabsAndWideCharacters() {
        String query = "SELECT 1,\r\n\t'日本' || nosuch";
        String message = ErrorMessageFormat.format(
                fields("S", "ERROR", "M", "x", "P", Integer.toString(query.codePointCount(0, query.indexOf("nosuch")) + 1)),
                query, true);
        assertEquals("ERROR:  x\nLINE 2:  '日本' || nosuch\n" + " ".repeat(8 + 11) + "^\n", message,
                "CR LF counts as one line end, a tab becomes a space, wide characters take two columns");
    }
}
