package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The command-line rules of {@link CommandSyntax}: GNU-style options, and a usage error naming what is wrong. */
class CommandSyntaxTest {

    private static final CommandSyntax SYNTAX = new CommandSyntax("pqbridge try", List.of("Tries things."),
            List.of(CommandSyntax.Option.value("--table", "TABLE", "A table."),
                    CommandSyntax.Option.list("--columns", "a,b", "Columns."),
                    CommandSyntax.Option.flag("--header", "A header."),
                    CommandSyntax.Option.negatable("--progress", "Progress.")),
            List.of(new CommandSyntax.Parameter("FILE", "A file.", false),
                    new CommandSyntax.Parameter("MORE", "Another.", true)));

    private static ParsedArguments parse(String... args) {
        return SYNTAX.parse(List.of(args));
    }

    private static String usageError(String... args) {
        ToolException e = assertThrows(ToolException.class, () -> parse(args), () -> String.join(" ", args));
        assertEquals(ExitStatus.USAGE, e.status());
        return e.getMessage();
    }

    @Test
    void valuesFlagsListsAndParameters() {
        ParsedArguments a = parse("--table=t", "--columns", "a,b", "--columns=c", "--header", "--no-progress", "f");
        assertEquals("t", a.value("--table"));
        assertEquals(List.of("a", "b", "c"), a.list("--columns"));
        assertTrue(a.flag("--header"));
        assertEquals(Boolean.FALSE, a.tristate("--progress"));
        assertEquals("f", a.parameter(0));
        assertNull(a.parameter(1));

        ParsedArguments b = parse("-", "--progress", "--table", "--odd", "g");
        assertEquals("--odd", b.value("--table"), "a value may start with dashes");
        assertEquals(Boolean.TRUE, b.tristate("--progress"));
        assertEquals("-", b.parameter(0));
        assertEquals("g", b.parameter(1));
        assertNull(b.tristate("--header"), "a flag that was not given");

        ParsedArguments c = parse("--table=", "--", "--header", "-h");
        assertEquals("", c.value("--table"));
        assertEquals("--header", c.parameter(0), "after --, everything is a parameter");
        assertEquals("-h", c.parameter(1));
    }

    @Test
    void helpAndVersionWinOverAnythingElse() {
        assertSame(ParsedArguments.HELP, parse("--bogus", "-h"));
        assertSame(ParsedArguments.HELP, parse("--help"));
        assertSame(ParsedArguments.VERSION, parse("-V", "--table"));
    }

    @Test
    void badLinesAreUsageErrorsNamingTheOption() {
        assertTrue(usageError("--tables", "t", "f").contains("--tables (did you mean --table?)"));
        assertTrue(usageError("--zzz", "f").contains("unknown option --zzz; pqbridge try --help"));
        assertTrue(usageError("f", "--table").contains("option --table needs a value"));
        assertTrue(usageError("--table=a", "--table", "b", "f").contains("option --table is given twice ('a' and 'b')"));
        assertTrue(usageError("--header", "--header", "f").contains("--header is given twice"));
        assertTrue(usageError("--progress", "--no-progress", "f").contains("--[no-]progress is given twice"));
        assertTrue(usageError("--header=yes", "f").contains("option --header takes no value"));
        assertTrue(usageError("--no-header", "f").contains("unknown option --no-header"));
        assertEquals("missing FILE", usageError("--header"));
        assertEquals("unexpected argument 'h'", usageError("f", "g", "h"));
    }

    @Test
    void typedValuesRefuseWhatTheyCannotConvert() {
        ParsedArguments a = parse("--table=Binary", "f");
        assertEquals(CopyFormat.BINARY, a.choice("--table", CopyFormat.class, CopyFormat.TEXT));
        assertEquals(CopyFormat.TEXT, a.choice("--columns", CopyFormat.class, CopyFormat.TEXT));
        ToolException e = assertThrows(ToolException.class, () -> parse("--table=xml", "f").choice("--table",
                CopyFormat.class, CopyFormat.TEXT));
        assertEquals("option --table must be one of csv, text, binary, not 'xml'", e.getMessage());
        assertEquals("option --header is required", assertThrows(ToolException.class,
                () -> parse("f").required("--header")).getMessage());
    }

    @Test
    void helpListsEveryOptionWithinEightyColumns() {
        String help = SYNTAX.help(List.of("Exit status: ..."));
        assertTrue(help.startsWith("Usage: pqbridge try [OPTIONS] FILE [MORE]\n"), help);
        for (String expected : List.of("--table=TABLE", "--columns=a,b", "--header", "--[no-]progress", "-h, --help",
                "-V, --version", "Exit status: ...")) {
            assertTrue(help.contains(expected), expected);
        }
        for (String line : LoadCommand.SYNTAX.help(List.of()).split("\n")) {
            assertTrue(line.length() <= 80, line);
        }
    }
}
