package io.pqbridge.errors;

import io.pqbridge.pq.PgDiagField;
import io.pqbridge.pq.PgResult;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns server and libpq errors into pqbridge exceptions, with psycopg's rules
 * ({@code psycopg/errors.py}, {@code pq/misc.py}).
 *
 * <p>The package holds one class per SQLSTATE of PostgreSQL's {@code errcodes.txt}
 * ({@code java/errcodes/}), generated at build time with psycopg's names ({@code UniqueViolation},
 * {@code QueryCanceled}, {@code InternalError_} for XX000...) and parents: the DB-API class of the
 * SQLSTATE's two-character class (23 → {@link io.pqbridge.errors.IntegrityException}), else of its first
 * character (P → {@link io.pqbridge.errors.ProgrammingException}), else
 * {@link DatabaseException}. Each has the constants {@code SQLSTATE} and {@code NAME}.
 * 22000 {@code data_exception} is {@code DataException_}, a subclass of the DB-API
 * {@link DataException}: psycopg names it {@code DataException}, which is the DB-API class's name
 * here, so it gets the trailing underscore psycopg itself gives 22000's neighbour XX000
 * ({@code InternalError_}).
 *
 * <p>Stateless and thread-safe.
 */
public final class Errors {

    /** Returned by {@link #cleanMessage} for an empty message, as psycopg does. */
    public static final String NO_DETAILS = "no error details available";

    /**
     * The severity words libpq may put before a message, in every language PostgreSQL is translated
     * to (psycopg's {@code PREFIXES}, generated from PostgreSQL's translations).
     */
    private static final Pattern SEVERITY_PREFIX = Pattern.compile("(?:" + Stream.of(
            "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "LOG", "FATAL", "PANIC", // en, es, ja
            "HINWEIS", "WARNUNG", "FEHLER", "PANIK", // de
            "ATTENTION", "ERREUR", // fr
            "PERINGATAN", // id
            "NOTIFICA", "ATTENZIONE", "ERRORE", "FATALE", "PANICO", // it
            "디버그", "정보", "알림", "경고", "오류", "로그", "치명적오류", "손상", // ko
            "INFORMACJA", "UWAGA", "OSTRZEŻENIE", "BŁĄD", "DZIENNIK", "KATASTROFALNY", "PANIKA", // pl
            "DEPURAÇÃO", "NOTA", "AVISO", "ERRO", "PÂNICO", // pt_BR
            "ОТЛАДКА", "ИНФОРМАЦИЯ", "ЗАМЕЧАНИЕ", "ПРЕДУПРЕЖДЕНИЕ", "ОШИБКА", "СООБЩЕНИЕ", "ВАЖНО", "ПАНИКА", // ru
            "NOTIS", "VARNING", "FEL", "LOGG", "FATALT", // sv
            "BİLGİ", "NOT", "UYARI", "HATA", "ÖLÜMCÜL (FATAL)", "KRİTİK", // tr
            "НАЛАГОДЖЕННЯ", "ІНФОРМАЦІЯ", "ПОВІДОМЛЕННЯ", "ПОПЕРЕДЖЕННЯ", "ПОМИЛКА", "ЗАПИСУВАННЯ", "ФАТАЛЬНО",
            "ПАНІКА", // uk
            "调试", "信息", "注意", "警告", "错误", "日志", "致命错误", "比致命错误还过分的错误") // zh_CN
            .map(Pattern::quote).collect(Collectors.joining("|")) + "):\\s+");

    private Errors() {
    }

    /**
     * The exception class of a SQLSTATE ({@code "57014"}) or of a condition name
     * ({@code "query_canceled"}), case-insensitive.
     *
     * @param codeOrName a SQLSTATE or a condition name, in any case
     * @return the generated class for it
     * @throws IllegalArgumentException when no class is generated for it, or {@code codeOrName} is
     *     null
     */
    public static Class<? extends DatabaseException> lookup(String codeOrName) {
        Class<? extends DatabaseException> cls = codeOrName == null ? null
                : SqlstateTable.CLASSES.get(codeOrName.toUpperCase(Locale.ROOT));
        if (cls == null) {
            throw new IllegalArgumentException("unknown SQLSTATE or condition name: '" + codeOrName
                    + "'; io.pqbridge.errors knows the codes of PostgreSQL's errcodes.txt (java/errcodes)");
        }
        return cls;
    }

    /**
     * The exception for an error result (status {@code FATAL_ERROR}): the class of its exact
     * SQLSTATE, else the DB-API class of the SQLSTATE's class or first character, else
     * {@link DatabaseException} (also when the result carries no SQLSTATE, as libpq's own error
     * results). The message is the result's formatted message ({@link PgResult#errorMessage()},
     * with its {@code LINE}, {@code DETAIL}, {@code HINT}, {@code CONTEXT} lines) cleaned by
     * {@link #cleanMessage}; the diagnostic is {@link Diagnostic#of(PgResult)}.
     *
     * @param result an error result, not null
     * @return the exception to throw, not thrown
     */
    public static DatabaseException fromResult(PgResult result) {
        String sqlstate = result.errorField(PgDiagField.SQLSTATE);
        if (sqlstate == null) {
            sqlstate = "";
        }
        String message = cleanMessage(result.errorMessage());
        Diagnostic diag = Diagnostic.of(result);
        DatabaseException exact = SqlstateTable.create(sqlstate.toUpperCase(Locale.ROOT), message, diag);
        return exact != null ? exact : SqlstateTable.createBase(sqlstate, message, diag);
    }

    /**
     * An error reported by the connection rather than by a result, as psycopg raises it:
     * {@code OperationalException("<what>: <libpq message, cleaned>")}, no SQLSTATE, e.g.
     * {@code operational("sending query failed", conn.errorMessage())} gives "sending query failed:
     * another command is already in progress".
     *
     * @param what what failed, the message's prefix
     * @param libpqMessage the connection's error message
     *     ({@link io.pqbridge.pq.PgConn#errorMessage()}), cleaned by {@link #cleanMessage}; may be
     *     null or empty
     * @return the exception to throw, not thrown
     */
    public static OperationalException operational(String what, String libpqMessage) {
        return new OperationalException(what + ": " + cleanMessage(libpqMessage));
    }

    /**
     * psycopg's message cleaning: the leading severity word ("ERROR:  ", "FATAL:  ", or a
     * translation) removed, then surrounding whitespace; {@value #NO_DETAILS} for an empty or null
     * message.
     *
     * @param message a libpq or server message, or null
     * @return the cleaned message, never null
     */
    public static String cleanMessage(String message) {
        if (message == null || message.isEmpty()) {
            return NO_DETAILS;
        }
        Matcher m = SEVERITY_PREFIX.matcher(message);
        return (m.lookingAt() ? message.substring(m.end()) : message).strip();
    }
}
