package io.pqbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgBackend;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code pqbridge repro} is {@code scripts/repro}: the same arguments, table and exit status. */
class ReproSubcommandTest {

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void reproRunsABuiltinScenarioAndPrintsItsVerdict(PgBackend backend) {
        Tool.Result r = new Tool(backend).run("repro", "1008-copy-in-rollback-in-transaction",
                "--jvm", "-XX:TieredStopAtLevel=1");
        String table = r.outText();
        assertEquals(0, r.exit(), table + r);
        assertTrue(table.matches("(?s).*\\n" + backend.name() + " +0 +- +no +- +INTRANS +works .* yes\\n.*"), table);
    }

    @Test
    void reproListsItsScenariosAndRefusesUnknownOnes() {
        Tool.Result list = Tool.runRaw(new ByteArrayInputStream(new byte[0]), "repro", "--list");
        assertEquals(0, list.exit(), list::toString);
        assertTrue(list.outText().contains("1008-copy-out-exception-exit-in-transaction"), list.outText());
        Tool.Result unknown = Tool.runRaw(new ByteArrayInputStream(new byte[0]), "repro", "nope");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown scenario 'nope'"), unknown.err());
    }
}
