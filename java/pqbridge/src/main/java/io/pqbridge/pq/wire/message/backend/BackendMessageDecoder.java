package io.pqbridge.pq.wire.message.backend;

/**
 * Decodes one backend message body by its type byte. The caller frames messages (type byte,
 * int32 length) and passes the body; bodiless messages come back as singletons, bulk messages as
 * views into {@code buffer}.
 */
public final class BackendMessageDecoder {

    private BackendMessageDecoder() {
    }

    /**
     * @return the message, or null for a type byte that is no backend message (the caller reports
     *     it with libpq's "unexpected response" text)
     * @throws MalformedMessageException when the body does not fit the type
     */
    public static BackendMessage decode(byte type, byte[] buffer, int offset, int length)
            throws MalformedMessageException {
        MessageCursor in = new MessageCursor(type, buffer, offset, length);
        BackendMessage message = switch (type) {
            case Authentication.TYPE -> Authentication.decode(in);
            case BackendKeyData.TYPE -> BackendKeyData.decode(in);
            case BindComplete.TYPE -> empty(in, BindComplete.INSTANCE);
            case CloseComplete.TYPE -> empty(in, CloseComplete.INSTANCE);
            case CommandComplete.TYPE -> CommandComplete.decode(in);
            case CopyData.TYPE -> CopyData.decode(in);
            case CopyDone.TYPE -> empty(in, CopyDone.INSTANCE);
            case CopyInResponse.TYPE -> CopyInResponse.decode(in);
            case CopyOutResponse.TYPE -> CopyOutResponse.decode(in);
            case CopyBothResponse.TYPE -> CopyBothResponse.decode(in);
            case DataRow.TYPE -> DataRow.decode(in);
            case EmptyQueryResponse.TYPE -> empty(in, EmptyQueryResponse.INSTANCE);
            case ErrorResponse.TYPE -> ErrorResponse.decode(in);
            case FunctionCallResponse.TYPE -> FunctionCallResponse.decode(in);
            case NoData.TYPE -> empty(in, NoData.INSTANCE);
            case NoticeResponse.TYPE -> NoticeResponse.decode(in);
            case NotificationResponse.TYPE -> NotificationResponse.decode(in);
            case ParameterDescription.TYPE -> ParameterDescription.decode(in);
            case ParameterStatus.TYPE -> ParameterStatus.decode(in);
            case ParseComplete.TYPE -> empty(in, ParseComplete.INSTANCE);
            case PortalSuspended.TYPE -> empty(in, PortalSuspended.INSTANCE);
            case ReadyForQuery.TYPE -> ReadyForQuery.decode(in);
            case RowDescription.TYPE -> RowDescription.decode(in);
            default -> null;
        };
        return message;
    }

    /**
     * libpq's limit on message lengths (the int32 length field, which counts itself): a length
     * below 4 is never valid, and one above 30000 only for the types that can legitimately be
     * long. Anything else means the stream lost synchronisation.
     */
    public static boolean plausibleLength(byte type, int lengthField) {
        if (lengthField < 4) {
            return false;
        }
        if (lengthField <= 30000) {
            return true;
        }
        return type == RowDescription.TYPE || type == DataRow.TYPE || type == CopyData.TYPE
                || type == FunctionCallResponse.TYPE || type == ErrorResponse.TYPE || type == NoticeResponse.TYPE
                || type == NotificationResponse.TYPE;
    }

    /** The big-endian int32 at {@code at}: a message's length field, for callers that frame messages. */
    public static int int32(byte[] buffer, int at) {
        return MessageCursor.readInt32(buffer, at);
    }

    private static BackendMessage empty(MessageCursor in, BackendMessage instance) throws MalformedMessageException {
        in.expectEnd();
        return instance;
    }
}
