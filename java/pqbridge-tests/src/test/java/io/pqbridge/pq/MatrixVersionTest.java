package io.pqbridge.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.test.ServerDifferences;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Proves each run of the version matrix ran on what it claims: the server major the run names in
 * {@code pqbridge.test.serverMajor}, and the libpq major it names in
 * {@code pqbridge.test.libpqMajor} under the native backend (PQBRIDGE_LIBPQ). A run that names
 * neither (the default one) must be on a supported server and on the system's libpq.
 */
@Tag("server-matrix")
@Tag("libpq-matrix")
class MatrixVersionTest {

    @Test
    void theServerIsTheMajorThisRunNames() {
        String expected = System.getProperty("pqbridge.test.serverMajor");
        if (expected != null) {
            assertEquals(Integer.parseInt(expected), ServerDifferences.major(),
                    "PQBRIDGE_PG_BIN=" + System.getenv("PQBRIDGE_PG_BIN"));
        } else {
            int major = ServerDifferences.major();
            assertTrue(major >= 13 && major <= 18, "server major " + major + " is outside the supported 13-18");
        }
    }

    @Test
    @Tag("native")
    void theNativeBackendRunsOnTheLibpqThisRunNames() {
        String expected = System.getProperty("pqbridge.test.libpqMajor");
        int loaded = Pq.backend("native").libpqVersion();
        if (expected != null) {
            assertEquals(Integer.parseInt(expected), loaded / 10000, "PQBRIDGE_LIBPQ=" + System.getenv("PQBRIDGE_LIBPQ"));
        } else {
            assertEquals(null, System.getenv("PQBRIDGE_LIBPQ"), "the default run uses the system's libpq");
            assertTrue(loaded >= 130000, "libpq " + loaded);
        }
    }
}
