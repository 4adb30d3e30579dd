package io.pqbridge.pq.wire.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.wire.message.frontend.Bind;
import io.pqbridge.pq.wire.message.frontend.Close;
import io.pqbridge.pq.wire.message.frontend.CopyData;
import io.pqbridge.pq.wire.message.frontend.CopyDone;
import io.pqbridge.pq.wire.message.frontend.CopyFail;
import io.pqbridge.pq.wire.message.frontend.Describe;
import io.pqbridge.pq.wire.message.frontend.Execute;
import io.pqbridge.pq.wire.message.frontend.Flush;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.message.frontend.Parse;
import io.pqbridge.pq.wire.message.frontend.PasswordMessage;
import io.pqbridge.pq.wire.message.frontend.Query;
import io.pqbridge.pq.wire.message.frontend.Sync;
import io.pqbridge.pq.wire.message.frontend.Terminate;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every message type fe-trace.c knows, in both directions, against the lines libpq 18 writes.
 * Where a conversation could produce the message, the expected line is the one real libpq 18.1
 * (and, but for CopyData, 15.18) wrote for the same bytes; the others (authentication requests,
 * CopyBothResponse, malformed and unknown messages) are read off libpq 18's fe-trace.c. Lines
 * are compared byte for byte (ISO-8859-1 maps each byte to one char).
 */
class TraceFormatTest {

    private static final int PLAIN = PgConn.TRACE_SUPPRESS_TIMESTAMPS;
    private static final int REGRESS = PgConn.TRACE_SUPPRESS_TIMESTAMPS | PgConn.TRACE_REGRESS_MODE;

    // ---- frontend ---------------------------------------------------------------------------------

    @Test
    void query_strings_are_written_raw_with_their_quotes_and_control_bytes() {
        assertEquals("F\t72\tQuery\t \"SELECT 1 AS one, 'a''b\"c' AS s, NULL::text AS n, E'x\\ty\\u00e9' AS t\"\n",
                sent(out -> Query.encode(out, "SELECT 1 AS one, 'a''b\"c' AS s, NULL::text AS n, E'x\\ty\\u00e9' AS t"),
                        REGRESS));
        assertEquals("F\t9\tQuery\t \"\u00c3\u00a9\t\"\"\n", sent(out -> Query.encode(out, "\u00e9\t\""), REGRESS));
        assertEquals("F\t5\tQuery\t \"\"\n", sent(out -> Query.encode(out, ""), REGRESS));
    }

    @Test
    void extended_query_messages() {
        assertEquals("F\t26\tParse\t \"\" \"SELECT $1::int + 1\" 0\n",
                sent(out -> Parse.encode(out, "", "SELECT $1::int + 1", 0, null), REGRESS));
        assertEquals("F\t19\tParse\t \"st\" \"q\" 2 NNNN NNNN\n",
                sent(out -> Parse.encode(out, "st", "q", 2, new int[] {23, 25}), REGRESS));
        assertEquals("F\t19\tParse\t \"st\" \"q\" 2 23 25\n",
                sent(out -> Parse.encode(out, "st", "q", 2, new int[] {23, 25}), PLAIN));
        assertEquals("F\t20\tBind\t \"\" \"\" 0 1 2 '42' 1 0\n",
                sent(out -> Bind.encode(out, "", "", new byte[][] {ascii("42")}, null, 0), REGRESS));
        assertEquals("F\t40\tBind\t \"p\" \"st\" 3 0 1 0 3 -1 4 '\\x00\\x01a\\xff' 1 'x' 1 1\n",
                sent(out -> Bind.encode(out, "p", "st", new byte[][] {null, {0, 1, 'a', (byte) 0xff}, ascii("x")},
                        new int[] {0, 1, 0}, 1), REGRESS));
        assertEquals("F\t30\tBind\t \"\" \"\" 0 2 8 '\\x00ff41' -1 1 1\n",
                sent(out -> Bind.encode(out, "", "", new byte[][] {ascii("\\x00ff41"), null}, null, 1), REGRESS));
        assertEquals("F\t6\tDescribe\t P \"\"\n", sent(out -> Describe.encode(out, 'P', ""), REGRESS));
        assertEquals("F\t8\tDescribe\t S \"st\"\n", sent(out -> Describe.encode(out, 'S', "st"), REGRESS));
        assertEquals("F\t9\tExecute\t \"\" 0\n", sent(out -> Execute.encode(out, "", 0), REGRESS));
        assertEquals("F\t8\tClose\t S \"st\"\n", sent(out -> Close.encode(out, 'S', "st"), REGRESS));
        assertEquals("F\t4\tSync\n", sent(Sync::encode, REGRESS));
        assertEquals("F\t4\tFlush\n", sent(Flush::encode, REGRESS));
        assertEquals("F\t4\tTerminate\n", sent(Terminate::encode, REGRESS));
    }

    @Test
    void copy_messages_sent() {
        byte[] row = ascii("1\tx\n");
        assertEquals("F\t8\tCopyData\t '1\\x09x\\x0a'\n", sent(out -> CopyData.encode(out, row, 0, row.length), PLAIN));
        assertEquals("F\t8\tCopyData\t 'BBBB'\n", sent(out -> CopyData.encode(out, row, 0, row.length), REGRESS));
        assertEquals("F\t4\tCopyDone\n", sent(CopyDone::encode, REGRESS));
        assertEquals("F\t13\tCopyFail\t \"abort it\"\n", sent(out -> CopyFail.encode(out, "abort it"), REGRESS));
    }

    @Test
    void function_call_hides_the_function_oid_in_regress_mode() {
        byte[] call = message('F', out -> out.int32(1397).int16(1).int16(1).int16(1).int32(4).int32(-7).int16(1));
        assertEquals("F\t24\tFunctionCall\t NNNN 1 1 1 4 '\\xff\\xff\\xff\\xf9' 1\n", line(true, call, REGRESS));
        assertEquals("F\t24\tFunctionCall\t 1397 1 1 1 4 '\\xff\\xff\\xff\\xf9' 1\n", line(true, call, PLAIN));
        byte[] withNull = message('F', out -> out.int32(1598).int16(0).int16(2).int32(-1).int32(1).int8('a').int16(0));
        assertEquals("F\t23\tFunctionCall\t 1598 0 2 -1 1 'a' 0\n", line(true, withNull, PLAIN));
    }

    @Test
    void password_type_after_startup_is_an_unknown_authentication_response() {
        assertEquals("F\t7\tUnknownAuthenticationResponse\nmismatched message length: consumed 4, expected 7\n",
                sent(out -> PasswordMessage.encode(out, "pw"), REGRESS));
    }

    // ---- backend ----------------------------------------------------------------------------------

    @Test
    void query_results() {
        byte[] description = message('T', out -> {
            out.int16(4);
            column(out, "one", 23, 4);
            column(out, "s", 25, -1);
            column(out, "n", 25, -1);
            column(out, "t", 25, -1);
        });
        assertEquals("B\t88\tRowDescription\t 4 \"one\" NNNN 0 NNNN 4 -1 0 \"s\" NNNN 0 NNNN 65535 -1 0"
                + " \"n\" NNNN 0 NNNN 65535 -1 0 \"t\" NNNN 0 NNNN 65535 -1 0\n", line(false, description, REGRESS));
        assertEquals("B\t28\tRowDescription\t 1 \"one\" 1259 1 23 4 -1 0\n", line(false, message('T', out -> {
            out.int16(1).cstring("one").int32(1259).int16(1).int32(23).int16(4).int32(-1).int16(0);
        }), PLAIN));
        byte[] row = message('D', out -> out.int16(4).int32(1).bytes(ascii("1"), 0, 1).int32(5)
                .bytes(ascii("a'b\"c"), 0, 5).int32(-1).int32(5).bytes(utf8("x\ty\u00e9"), 0, 5));
        assertEquals("B\t33\tDataRow\t 4 1 '1' 5 'a'b\"c' -1 5 'x\\x09y\\xc3\\xa9'\n", line(false, row, REGRESS));
        byte[] binaryRow = message('D', out -> out.int16(2).int32(3).bytes(new byte[] {0, (byte) 0xff, 'A'}, 0, 3).int32(-1));
        assertEquals("B\t17\tDataRow\t 2 3 '\\x00\\xffA' -1\n", line(false, binaryRow, REGRESS));
        assertEquals("B\t13\tCommandComplete\t \"SELECT 1\"\n", line(false, message('C', out -> out.cstring("SELECT 1")), REGRESS));
        assertEquals("B\t5\tReadyForQuery\t I\n", line(false, message('Z', out -> out.int8('I')), REGRESS));
        assertEquals("B\t4\tEmptyQueryResponse\n", line(false, message('I', out -> { }), REGRESS));
        assertEquals("B\t4\tParseComplete\n", line(false, message('1', out -> { }), REGRESS));
        assertEquals("B\t4\tBindComplete\n", line(false, message('2', out -> { }), REGRESS));
        assertEquals("B\t4\tCloseComplete\n", line(false, message('3', out -> { }), REGRESS));
        assertEquals("B\t4\tNoData\n", line(false, message('n', out -> { }), REGRESS));
        assertEquals("B\t4\tPortalSuspended\n", line(false, message('s', out -> { }), REGRESS));
        assertEquals("B\t10\tParameterDescription\t 1 NNNN\n", line(false, message('t', out -> out.int16(1).int32(25)), REGRESS));
        assertEquals("B\t10\tParameterDescription\t 1 25\n", line(false, message('t', out -> out.int16(1).int32(25)), PLAIN));
    }

    @Test
    void error_and_notice_hide_length_file_line_and_routine_in_regress_mode() {
        byte[] error = message('E', out -> out.int8('S').cstring("ERROR").int8('V').cstring("ERROR").int8('C')
                .cstring("22012").int8('M').cstring("division by zero").int8('F').cstring("int.c").int8('L')
                .cstring("869").int8('R').cstring("int4div").int8(0));
        assertEquals("B\tNN\tErrorResponse\t S \"ERROR\" V \"ERROR\" C \"22012\" M \"division by zero\" F \"SSSS\""
                + " L \"SSSS\" R \"SSSS\" \\x00\n", line(false, error, REGRESS));
        assertEquals("B\t65\tErrorResponse\t S \"ERROR\" V \"ERROR\" C \"22012\" M \"division by zero\" F \"int.c\""
                + " L \"869\" R \"int4div\" \\x00\n", line(false, error, PLAIN));
        byte[] notice = message('N', out -> out.int8('S').cstring("NOTICE").int8('M').cstring("hello world")
                .int8('W').cstring("PL/pgSQL function inline_code_block line 1 at RAISE").int8('L').cstring("1")
                .int8(0));
        assertEquals("B\tNN\tNoticeResponse\t S \"NOTICE\" M \"hello world\""
                + " W \"PL/pgSQL function inline_code_block line 1 at RAISE\" L \"SSSS\" \\x00\n",
                line(false, notice, REGRESS));
    }

    @Test
    void asynchronous_messages() {
        byte[] notification = message('A', out -> out.int32(4242).cstring("ch").cstring("payload"));
        assertEquals("B\t19\tNotificationResponse\t NNNN \"ch\" \"payload\"\n", line(false, notification, REGRESS));
        assertEquals("B\t19\tNotificationResponse\t 4242 \"ch\" \"payload\"\n", line(false, notification, PLAIN));
        assertEquals("B\t24\tParameterStatus\t \"application_name\" \"tr\"\n",
                line(false, message('S', out -> out.cstring("application_name").cstring("tr")), REGRESS));
    }

    @Test
    void copy_messages_received() {
        assertEquals("B\t11\tCopyInResponse\t \\x00 2 0 0\n",
                line(false, message('G', out -> out.int8(0).int16(2).int16(0).int16(0)), REGRESS));
        assertEquals("B\t9\tCopyOutResponse\t \\x01 1 1\n",
                line(false, message('H', out -> out.int8(1).int16(1).int16(1)), REGRESS));
        assertEquals("B\t11\tCopyBothResponse\t \\x00 2 0 0\n",
                line(false, message('W', out -> out.int8(0).int16(2).int16(0).int16(0)), REGRESS));
        byte[] data = message('d', out -> out.bytes(ascii("2\t\\N\n"), 0, 5));
        assertEquals("B\t9\tCopyData\t '2\\x09\\N\\x0a'\n", line(false, data, PLAIN));
        assertEquals("B\t9\tCopyData\t 'BBBB'\n", line(false, data, REGRESS));
        assertEquals("B\t4\tCopyDone\n", line(false, message('c', out -> { }), REGRESS));
    }

    @Test
    void startup_and_function_messages() {
        byte[] key = message('K', out -> out.int32(12453).int32(-1296720831));
        assertEquals("B\t12\tBackendKeyData\t NNNN NNNN\n", line(false, key, REGRESS));
        assertEquals("B\t12\tBackendKeyData\t 12453 -1296720831\n", line(false, key, PLAIN));
        assertEquals("B\t19\tNegotiateProtocolVersion\t 0 1 \"_pq_.x\"\n",
                line(false, message('v', out -> out.int32(0).int32(1).cstring("_pq_.x")), REGRESS));
        assertEquals("B\t12\tFunctionCallResponse\t 4 '\\x00\\x00\\x00\\x06'\n",
                line(false, message('V', out -> out.int32(4).int32(6)), REGRESS));
        assertEquals("B\t8\tFunctionCallResponse\t -1\n", line(false, message('V', out -> out.int32(-1)), REGRESS));
    }

    @Test
    void authentication_requests_are_named_as_libpq_18_names_them() {
        assertEquals("B\t8\tAuthenticationOk\n", line(false, message('R', out -> out.int32(0)), REGRESS));
        assertEquals("B\t8\tAuthenticationCleartextPassword\n", line(false, message('R', out -> out.int32(3)), REGRESS));
        assertEquals("B\t12\tAuthenticationMD5Password\nmismatched message length: consumed 8, expected 12\n",
                line(false, message('R', out -> out.int32(5).int32(0x01020304)), REGRESS));
        assertEquals("B\t8\tAuthenticationGSS\n", line(false, message('R', out -> out.int32(7)), REGRESS));
        assertEquals("B\t8\tAuthenticationSSPI\n", line(false, message('R', out -> out.int32(9)), REGRESS));
        assertEquals("B\t11\tAuthenticationGSSContinue\t 'ab\\x00'\n",
                line(false, message('R', out -> out.int32(8).bytes(new byte[] {'a', 'b', 0}, 0, 3)), PLAIN));
        assertEquals("B\t23\tAuthenticationSASL\t \"SCRAM-SHA-256\" \"\"\n",
                line(false, message('R', out -> out.int32(10).cstring("SCRAM-SHA-256").int8(0)), REGRESS));
        byte[] proof = ascii("r=abc");
        assertEquals("B\t13\tAuthenticationSASLContinue\t 'r=abc'\n",
                line(false, message('R', out -> out.int32(11).bytes(proof, 0, 5)), PLAIN));
        assertEquals("B\t13\tAuthenticationSASLContinue\t 'BBBB'\n",
                line(false, message('R', out -> out.int32(11).bytes(proof, 0, 5)), REGRESS));
        assertEquals("B\t13\tAuthenticationSASLFinal\t 'BBBB'\n",
                line(false, message('R', out -> out.int32(12).bytes(proof, 0, 5)), REGRESS));
        assertEquals("B\t8\tUnknown authentication message 99\n", line(false, message('R', out -> out.int32(99)), REGRESS));
    }

    // ---- what libpq writes for the unexpected ---------------------------------------------------------

    @Test
    void unknown_types_are_written_in_hex_as_a_c_char_prints() {
        assertEquals("B\t4\tUnknown message: 59\n", line(false, message('Y', out -> { }), REGRESS));
        assertEquals("B\t6\tUnknown message: ffffffe9\nmismatched message length: consumed 4, expected 6\n",
                line(false, message((char) 0xe9, out -> out.int16(7)), REGRESS));
    }

    @Test
    void a_message_whose_fields_run_past_its_length_is_cut_short_and_reported() {
        byte[] row = message('D', out -> out.int16(1).int32(10).bytes(ascii("ab"), 0, 2));
        assertEquals("B\t12\tDataRow\t 1 10\nmismatched message length: consumed 10, expected 12\n",
                line(false, row, REGRESS));
        byte[] unterminated = message('Q', out -> out.bytes(ascii("abc"), 0, 3));
        assertEquals("F\t7\tQuery\t\nmismatched message length: consumed 4, expected 7\n",
                line(true, unterminated, REGRESS));
    }

    @Test
    void timestamps_are_local_time_with_microseconds() {
        byte[] sync = message('S', out -> { });
        String line = new String(TraceFormat.line(true, sync, 0, sync.length, PgConn.TRACE_REGRESS_MODE,
                LocalDateTime.of(2026, 12, 6, 9, 5, 3, 7_000)), StandardCharsets.ISO_8859_1);
        assertEquals("2026-12-06 09:05:03.000007\tF\t4\tSync\n", line);
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static String sent(Consumer<OutputBuffer> encoder, int flags) {
        OutputBuffer out = new OutputBuffer(64);
        encoder.accept(out);
        return line(true, out.toByteArray(), flags);
    }

    private static byte[] message(char type, Consumer<OutputBuffer> body) {
        OutputBuffer out = new OutputBuffer(64);
        int at = out.begin((byte) type);
        body.accept(out);
        out.end(at);
        return out.toByteArray();
    }

    private static String line(boolean toServer, byte[] message, int flags) {
        return new String(TraceFormat.line(toServer, message, 0, message.length, flags, null), StandardCharsets.ISO_8859_1);
    }

    private static void column(OutputBuffer out, String name, int typeOid, int typeLength) {
        out.cstring(name).int32(0).int16(0).int32(typeOid).int16(typeLength).int32(-1).int16(0);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
