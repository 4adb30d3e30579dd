package io.pqbridge.pq.wire.trace;

/**
 * The name and fields fe-trace.c writes for each message type (its {@code pqTraceOutput_*}
 * functions, libpq 18), after the common prefix {@link TraceFormat} writes. Each method reads
 * the fields in the protocol's order; {@code regress} replaces what changes from run to run.
 */
final class MessageFields {

    private MessageFields() {
    }

    static void write(byte id, boolean toServer, int length, boolean regress, TraceFields f) {
        switch (id) {
            case '1' -> f.text("ParseComplete");
            case '2' -> f.text("BindComplete");
            case '3' -> f.text("CloseComplete");
            case 'A' -> {
                f.text("NotificationResponse\t");
                f.int32(regress);
                f.string(false);
                f.string(false);
            }
            case 'B' -> bind(f);
            case 'c' -> f.text("CopyDone");
            case 'C' -> {
                f.text(toServer ? "Close\t" : "CommandComplete\t");
                if (toServer) {
                    f.byte1();
                }
                f.string(false);
            }
            case 'd' -> {
                f.text("CopyData\t");
                f.nchar(length - f.consumed() + 1, regress);
            }
            case 'D' -> {
                if (toServer) {
                    f.text("Describe\t");
                    f.byte1();
                    f.string(false);
                } else {
                    dataRow(f);
                }
            }
            case 'E' -> {
                if (toServer) {
                    f.text("Execute\t");
                    f.string(false);
                    f.int32(false);
                } else {
                    diagnostics("ErrorResponse\t", regress, f);
                }
            }
            case 'f' -> {
                f.text("CopyFail\t");
                f.string(false);
            }
            case 'p' -> f.text("UnknownAuthenticationResponse");
            case 'F' -> functionCall(regress, f);
            case 'G' -> copyResponse("CopyInResponse\t", f);
            case 'H' -> {
                if (toServer) {
                    f.text("Flush");
                } else {
                    copyResponse("CopyOutResponse\t", f);
                }
            }
            case 'I' -> f.text("EmptyQueryResponse");
            case 'K' -> {
                f.text("BackendKeyData\t");
                f.int32(regress);
                f.int32(regress);
            }
            case 'n' -> f.text("NoData");
            case 'N' -> diagnostics("NoticeResponse\t", regress, f);
            case 'P' -> parse(regress, f);
            case 'Q' -> {
                f.text("Query\t");
                f.string(false);
            }
            case 'R' -> authentication(length, regress, f);
            case 's' -> f.text("PortalSuspended");
            case 'S' -> {
                if (toServer) {
                    f.text("Sync");
                } else {
                    f.text("ParameterStatus\t");
                    f.string(false);
                    f.string(false);
                }
            }
            case 't' -> {
                f.text("ParameterDescription\t");
                int count = f.int16();
                for (int i = 0; i < count; i++) {
                    f.int32(regress);
                }
            }
            case 'T' -> rowDescription(regress, f);
            case 'v' -> {
                f.text("NegotiateProtocolVersion\t");
                f.int32(false);
                int count = f.int32(false);
                for (int i = 0; i < count; i++) {
                    f.string(false);
                }
            }
            case 'V' -> {
                f.text("FunctionCallResponse\t");
                int valueLength = f.int32(false);
                if (valueLength != -1) {
                    f.nchar(valueLength, false);
                }
            }
            case 'W' -> {
                f.text("CopyBothResponse\t");
                f.byte1();
                while (length > f.consumed()) {
                    f.int16();
                }
            }
            case 'X' -> f.text("Terminate");
            case 'Z' -> {
                f.text("ReadyForQuery\t");
                f.byte1();
            }
            // C's "%02x" of a char: a byte above 0x7f is sign-extended, as Java's is
            default -> f.text(String.format("Unknown message: %02x", (int) id));
        }
    }

    private static void bind(TraceFields f) {
        f.text("Bind\t");
        f.string(false);
        f.string(false);
        int formats = f.int16();
        for (int i = 0; i < formats; i++) {
            f.int16();
        }
        values(f);
        int resultFormats = f.int16();
        for (int i = 0; i < resultFormats; i++) {
            f.int16();
        }
    }

    private static void dataRow(TraceFields f) {
        f.text("DataRow\t");
        values(f);
    }

    /** A count, then each value's length and bytes (none for -1, NULL). */
    private static void values(TraceFields f) {
        int count = f.int16();
        for (int i = 0; i < count; i++) {
            int valueLength = f.int32(false);
            if (valueLength != -1) {
                f.nchar(valueLength, false);
            }
        }
    }

    /** ErrorResponse and NoticeResponse: code and string pairs up to the zero code, written {@code \x00}. */
    private static void diagnostics(String name, boolean regress, TraceFields f) {
        f.text(name);
        for (;;) {
            byte field = f.byte1();
            if (field == 0) {
                return;
            }
            f.string(regress && (field == 'L' || field == 'F' || field == 'R'));
        }
    }

    private static void functionCall(boolean regress, TraceFields f) {
        f.text("FunctionCall\t");
        f.int32(regress);
        int formats = f.int16();
        for (int i = 0; i < formats; i++) {
            f.int16();
        }
        values(f);
        f.int16();
    }

    private static void copyResponse(String name, TraceFields f) {
        f.text(name);
        f.byte1();
        int columns = f.int16();
        for (int i = 0; i < columns; i++) {
            f.int16();
        }
    }

    private static void parse(boolean regress, TraceFields f) {
        f.text("Parse\t");
        f.string(false);
        f.string(false);
        int count = f.int16();
        for (int i = 0; i < count; i++) {
            f.int32(regress);
        }
    }

    private static void rowDescription(boolean regress, TraceFields f) {
        f.text("RowDescription\t");
        int columns = f.int16();
        for (int i = 0; i < columns; i++) {
            f.string(false);
            f.int32(regress); // table oid
            f.int16();
            f.int32(regress); // type oid
            f.int16();
            f.int32(false);
            f.int16();
        }
    }

    /** libpq 18 names each request; the payloads of GSS and SASL exchanges are hidden in regress mode. */
    private static void authentication(int length, boolean regress, TraceFields f) {
        int code = f.int32At(f.consumed());
        f.skip(4);
        switch (code) {
            case 0 -> f.text("AuthenticationOk");
            case 3 -> f.text("AuthenticationCleartextPassword");
            case 5 -> f.text("AuthenticationMD5Password");
            case 7 -> f.text("AuthenticationGSS");
            case 8 -> payload("AuthenticationGSSContinue\t", length, regress, f);
            case 9 -> f.text("AuthenticationSSPI");
            case 10 -> {
                f.text("AuthenticationSASL\t");
                while (f.peek() != 0) {
                    f.string(false);
                }
                f.string(false);
            }
            case 11 -> payload("AuthenticationSASLContinue\t", length, regress, f);
            case 12 -> payload("AuthenticationSASLFinal\t", length, regress, f);
            default -> f.text("Unknown authentication message " + code);
        }
    }

    private static void payload(String name, int length, boolean regress, TraceFields f) {
        f.text(name);
        f.nchar(length - f.consumed() + 1, regress);
    }
}
