package io.pqbridge.pq.wire.message.backend;

/** FunctionCallResponse ('V'): the result of the fast-path call, null for NULL. */
public record FunctionCallResponse(byte[] value) implements BackendMessage {

    public static final byte TYPE = 'V';

    static FunctionCallResponse decode(MessageCursor in) throws MalformedMessageException {
        int length = in.int32();
        FunctionCallResponse response = new FunctionCallResponse(length < 0 ? null : in.bytes(length));
        in.expectEnd();
        return response;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FunctionCallResponse f && java.util.Arrays.equals(f.value, value);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "FunctionCallResponse[" + (value == null ? "NULL" : value.length + " bytes") + "]";
    }
}
