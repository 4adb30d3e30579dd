package io.pqbridge.pq.wire.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pqbridge.pq.wire.conninfo.ConnectionOptions.TargetSessionAttrs;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** libpq's target_session_attrs decisions, from the server's parameters or from the query's value. */
class TargetServerCheckTest {

    @ParameterizedTest(name = "{0} with read_only={1} hot_standby={2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "READ_WRITE | off | off | -",
        "READ_WRITE | on  | off | session is read-only",
        "READ_WRITE | off | on  | session is read-only",
        "READ_ONLY  | off | off | session is not read-only",
        "READ_ONLY  | off | on  | -",
        "PRIMARY    | on  | off | -",
        "PRIMARY    | off | on  | server is in hot standby mode",
        "STANDBY    | off | off | server is not in hot standby mode",
        "STANDBY    | off | on  | -",
    })
    void decidesFromTheReportedParameters(TargetSessionAttrs target, String readOnly, String hotStandby,
            String rejection) {
        TargetServerCheck check = TargetServerCheck.of(target);
        Map<String, String> parameters = Map.of("default_transaction_read_only", readOnly, "in_hot_standby", hotStandby);
        assertEquals(rejection, check.rejection(check.traitFromParameters(parameters::get, 150000)));
    }

    @ParameterizedTest(name = "{0} asks {1}")
    @CsvSource(delimiter = '|', value = {
        "READ_WRITE | SHOW transaction_read_only            | \"SHOW transaction_read_only\" failed | on  | session is read-only",
        "READ_ONLY  | SHOW transaction_read_only            | \"SHOW transaction_read_only\" failed | off | session is not read-only",
        "PRIMARY    | SELECT pg_catalog.pg_is_in_recovery() | \"SELECT pg_is_in_recovery()\" failed | t   | server is in hot standby mode",
        "STANDBY    | SELECT pg_catalog.pg_is_in_recovery() | \"SELECT pg_is_in_recovery()\" failed | f   | server is not in hot standby mode",
    })
    void asksTheServerWhenTheParametersAreMissing(TargetSessionAttrs target, String query, String failure,
            String rejectedAnswer, String rejection) {
        TargetServerCheck check = TargetServerCheck.of(target);
        assertNull(check.traitFromParameters(Map.<String, String>of()::get, 140000));
        assertEquals(query, check.query());
        assertEquals(failure, check.queryFailure());
        assertEquals(rejection, check.rejection(check.traitFromAnswer(rejectedAnswer)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PRIMARY, ", "STANDBY, server is not in hot standby mode"})
    void aServerBeforeHotStandbyIsNoStandby(TargetSessionAttrs target, String rejection) {
        TargetServerCheck check = TargetServerCheck.of(target);
        assertEquals(rejection, check.rejection(check.traitFromParameters(Map.<String, String>of()::get, 80400)));
    }

    @Test
    void anyServerNeedsNoCheckAndPreferStandbyIsResolvedPerPass() {
        assertNull(TargetServerCheck.of(TargetSessionAttrs.ANY));
        assertThrows(IllegalArgumentException.class, () -> TargetServerCheck.of(TargetSessionAttrs.PREFER_STANDBY));
    }
}
