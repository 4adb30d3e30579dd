package io.pqbridge.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgDiagField;
import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The generated classes and {@link Errors}, against psycopg's names, parents and rules. */
class ErrorsTest {

    /** SQLSTATE, psycopg's class name, its DB-API parent (psycopg/errors.py, HEAD). */
    @ParameterizedTest
    @CsvSource({
        "02000, NoData, DatabaseException",
        "03000, SqlStatementNotYetComplete, DatabaseException",
        "08000, ConnectionException, OperationalException",
        "08P01, ProtocolViolation, OperationalException",
        "0A000, FeatureNotSupported, NotSupportedException",
        "0B000, InvalidTransactionInitiation, DatabaseException",
        "20000, CaseNotFound, ProgrammingException",
        "21000, CardinalityViolation, ProgrammingException",
        "22000, DataException_, DataException",
        "22012, DivisionByZero, DataException",
        "22P02, InvalidTextRepresentation, DataException",
        "22P04, BadCopyFileFormat, DataException",
        "2202E, ArraySubscriptError, DataException",
        "22008, DatetimeFieldOverflow, DataException",
        "23502, NotNullViolation, IntegrityException",
        "23503, ForeignKeyViolation, IntegrityException",
        "23505, UniqueViolation, IntegrityException",
        "23P01, ExclusionViolation, IntegrityException",
        "24000, InvalidCursorState, InternalException",
        "25P02, InFailedSqlTransaction, InternalException",
        "26000, InvalidSqlStatementName, ProgrammingException",
        "28P01, InvalidPassword, OperationalException",
        "2BP01, DependentObjectsStillExist, InternalException",
        "2D000, InvalidTransactionTermination, InternalException",
        "34000, InvalidCursorName, ProgrammingException",
        "38002, ModifyingSqlDataNotPermittedExt, OperationalException",
        "38003, ProhibitedSqlStatementAttemptedExt, OperationalException",
        "38004, ReadingSqlDataNotPermittedExt, OperationalException",
        "39004, NullValueNotAllowedExt, OperationalException",
        "22004, NullValueNotAllowed, DataException",
        "3B001, InvalidSavepointSpecification, OperationalException",
        "3D000, InvalidCatalogName, ProgrammingException",
        "3F000, InvalidSchemaName, ProgrammingException",
        "40001, SerializationFailure, OperationalException",
        "40P01, DeadlockDetected, OperationalException",
        "42601, SyntaxError, ProgrammingException",
        "42P01, UndefinedTable, ProgrammingException",
        "42703, UndefinedColumn, ProgrammingException",
        "44000, WithCheckOptionViolation, ProgrammingException",
        "53100, DiskFull, OperationalException",
        "54000, ProgramLimitExceeded, OperationalException",
        "55P03, LockNotAvailable, OperationalException",
        "57014, QueryCanceled, OperationalException",
        "57P01, AdminShutdown, OperationalException",
        "58030, IoError, OperationalException",
        "72000, SnapshotTooOld, DatabaseException",
        "F0000, ConfigFileError, OperationalException",
        "HV000, FdwError, OperationalException",
        "P0001, RaiseException, ProgrammingException",
        "P0004, AssertFailure, ProgrammingException",
        "XX000, InternalError_, InternalException",
        "XX001, DataCorrupted, InternalException",
    })
    void classesHavePsycopgsNamesAndParents(String sqlstate, String name, String parent) throws Exception {
        Class<? extends DatabaseException> cls = Errors.lookup(sqlstate);
        assertEquals("io.pqbridge.errors." + name, cls.getName());
        assertEquals("io.pqbridge.errors." + parent, cls.getSuperclass().getName());
        assertEquals(sqlstate, cls.getField("SQLSTATE").get(null));
        String condition = (String) cls.getField("NAME").get(null);
        assertEquals(condition, Errors.lookup(condition).getField("NAME").get(null));
        DatabaseException made = cls.getConstructor(String.class).newInstance("made here");
        assertEquals(sqlstate, made.sqlstate());
        assertEquals("made here", made.getMessage());
    }

    @Test
    void lookupTakesCodesAndConditionNamesInAnyCase() {
        assertSame(QueryCanceled.class, Errors.lookup("57014"));
        assertSame(QueryCanceled.class, Errors.lookup("query_canceled"));
        assertSame(QueryCanceled.class, Errors.lookup("QUERY_CANCELED"));
        assertSame(QueryCanceled.class, Errors.lookup("Query_Canceled"));
        assertSame(InFailedSqlTransaction.class, Errors.lookup("25p02"));
        assertSame(UniqueViolation.class, Errors.lookup("unique_violation"));
        assertSame(InternalError_.class, Errors.lookup("internal_error"));
    }

    @Test
    void aSharedConditionNameGoesToTheLaterCodeAsInPsycopg() {
        assertSame(NullValueNotAllowedExt.class, Errors.lookup("null_value_not_allowed"));
        assertSame(NullValueNotAllowed.class, Errors.lookup("22004"));
        assertSame(ModifyingSqlDataNotPermittedExt.class, Errors.lookup("modifying_sql_data_not_permitted"));
        assertSame(ModifyingSqlDataNotPermitted.class, Errors.lookup("2F002"));
    }

    @Test
    void lookupRefusesUnknownKeysClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Errors.lookup("ZZ123"));
        assertTrue(e.getMessage().startsWith("unknown SQLSTATE or condition name: 'ZZ123'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Errors.lookup("no_such_condition"));
        assertThrows(IllegalArgumentException.class, () -> Errors.lookup("00000"));  // success is never raised
        assertThrows(IllegalArgumentException.class, () -> Errors.lookup("01000"));  // nor warnings
        assertThrows(IllegalArgumentException.class, () -> Errors.lookup(null));
    }

    @Test
    void everyGeneratedCodeMapsBackToItsClass() {
        // 251 codes, 247 distinct condition names
        assertEquals(251 + 247, SqlstateTable.CLASSES.size());
        SqlstateTable.CLASSES.forEach((key, cls) -> {
            if (key.length() == 5 && !key.contains("_")) {
                PgResult r = error(key, "ERROR:  x\n");
                assertSame(cls, Errors.fromResult(r).getClass(), key);
            }
        });
    }

    @ParameterizedTest
    @CsvSource({
        "ZZ123, io.pqbridge.errors.DatabaseException",
        "22ZZZ, io.pqbridge.errors.DataException",
        "23ZZZ, io.pqbridge.errors.IntegrityException",
        "0AZZZ, io.pqbridge.errors.NotSupportedException",
        "57ZZZ, io.pqbridge.errors.OperationalException",
        "25ZZZ, io.pqbridge.errors.InternalException",
        "42ZZZ, io.pqbridge.errors.ProgrammingException",
        "P9ZZZ, io.pqbridge.errors.ProgrammingException",
        "FZZZZ, io.pqbridge.errors.OperationalException",
        "HZZZZ, io.pqbridge.errors.OperationalException",
        "XZZZZ, io.pqbridge.errors.InternalException",
        "10608, io.pqbridge.errors.ProgrammingException",  // PostgreSQL 17's invalid_argument_for_xquery
        "25P04, io.pqbridge.errors.InternalException",     // 17's transaction_timeout
        "58P03, io.pqbridge.errors.OperationalException",  // 17's file_name_too_long
    })
    void unknownCodesFallBackToTheirClassThenFirstCharacter(String sqlstate, String expected) {
        DatabaseException e = Errors.fromResult(error(sqlstate, "ERROR:  something odd\n"));
        assertEquals(expected, e.getClass().getName());
        assertEquals(sqlstate, e.sqlstate());
        assertEquals(sqlstate, e.diag().sqlstate());
        assertEquals("something odd", e.getMessage());
    }

    @Test
    void resultWithoutSqlstateIsADatabaseException() {
        PgResult r = PgResult.ofError(PgExecStatus.FATAL_ERROR, "server closed the connection unexpectedly\n");
        DatabaseException e = Errors.fromResult(r);
        assertSame(DatabaseException.class, e.getClass());
        assertNull(e.sqlstate());
        assertEquals("server closed the connection unexpectedly", e.getMessage());
    }

    @Test
    void fromResultKeepsEveryDiagnosticField() {
        PgResult r = PgResult.builder(PgExecStatus.FATAL_ERROR)
                .errorMessage("ERROR:  duplicate key value violates unique constraint \"t_pkey\"\n"
                        + "DETAIL:  Key (id)=(1) already exists.\n")
                .errorField(PgDiagField.SEVERITY, "ERROR")
                .errorField(PgDiagField.SEVERITY_NONLOCALIZED, "ERROR")
                .errorField(PgDiagField.SQLSTATE, "23505")
                .errorField(PgDiagField.MESSAGE_PRIMARY, "duplicate key value violates unique constraint \"t_pkey\"")
                .errorField(PgDiagField.MESSAGE_DETAIL, "Key (id)=(1) already exists.")
                .errorField(PgDiagField.SCHEMA_NAME, "public")
                .errorField(PgDiagField.TABLE_NAME, "t")
                .errorField(PgDiagField.CONSTRAINT_NAME, "t_pkey")
                .build();
        DatabaseException e = Errors.fromResult(r);
        assertSame(UniqueViolation.class, e.getClass());
        assertEquals("duplicate key value violates unique constraint \"t_pkey\"\n"
                + "DETAIL:  Key (id)=(1) already exists.", e.getMessage());
        assertEquals("t_pkey", e.diag().constraintName());
        assertEquals("t", e.diag().tableName());
        assertEquals("public", e.diag().schemaName());
        assertEquals("Key (id)=(1) already exists.", e.diag().messageDetail());
    }

    @Test
    void cleanMessageStripsTheSeverityWordLikePsycopg() {
        String[][] cases = {
            {"ERROR:  division by zero\n", "division by zero"},
            {"FATAL:  terminating connection due to administrator command\n",
                "terminating connection due to administrator command"},
            {"FEHLER:  Division durch Null\n", "Division durch Null"},
            {"ОШИБКА:  деление на ноль\n", "деление на ноль"},
            {"ÖLÜMCÜL (FATAL):  x\n", "x"},
            {"错误:  除以零\n", "除以零"},
            {"  another command is already in progress\n", "another command is already in progress"},
            {"ERROR: one space\n", "one space"},
            {"ERRORS:  not a severity\n", "ERRORS:  not a severity"},
            {"ERROR:no space\n", "ERROR:no space"},
            {"hint first\nERROR:  only the start counts\n", "hint first\nERROR:  only the start counts"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], Errors.cleanMessage(c[0]), c[0]);
        }
    }

    @Test
    void cleanMessageKeepsTheLinesLibpqAdds() {
        String libpq = "ERROR:  syntax error at or near \"selec\"\nLINE 1: selec 1\n        ^\n";
        assertEquals("syntax error at or near \"selec\"\nLINE 1: selec 1\n        ^", Errors.cleanMessage(libpq));
        assertEquals(Errors.NO_DETAILS, Errors.cleanMessage(""));
        assertEquals(Errors.NO_DETAILS, Errors.cleanMessage(null));
        assertEquals("no error details available",
                Errors.fromResult(PgResult.ofError(PgExecStatus.FATAL_ERROR, "")).getMessage());
    }

    @Test
    void connectionLevelErrorsAreOperational() {
        OperationalException e = Errors.operational("sending query failed",
                "another command is already in progress\n");
        assertSame(OperationalException.class, e.getClass());
        assertEquals("sending query failed: another command is already in progress", e.getMessage());
        assertNull(e.sqlstate());
    }

    @Test
    void clientSideClassesSitUnderPsycopgsParents() {
        assertTrue(ProgrammingException.class.isAssignableFrom(OutOfOrderTransactionNesting.class));
        assertTrue(OperationalException.class.isAssignableFrom(ConnectionTimeout.class));
        assertTrue(OperationalException.class.isAssignableFrom(CancellationTimeout.class));
        assertNull(new CancellationTimeout("cancellation timeout expired").sqlstate());
        assertNull(new OutOfOrderTransactionNesting("x").sqlstate());
        PqException e = new ConnectionTimeout("connection timeout expired");
        assertEquals("connection timeout expired", e.getMessage());
        assertTrue(DataException.class.isAssignableFrom(DataException_.class));
        assertTrue(IntegrityException.class.isAssignableFrom(UniqueViolation.class));
        assertTrue(InternalException.class.isAssignableFrom(InFailedSqlTransaction.class));
        assertTrue(NotSupportedException.class.isAssignableFrom(FeatureNotSupported.class));
    }

    private static PgResult error(String sqlstate, String message) {
        return PgResult.builder(PgExecStatus.FATAL_ERROR).errorMessage(message)
                .errorField(PgDiagField.SQLSTATE, sqlstate).build();
    }
}
