/*
 * The shim's own tests, built with AddressSanitizer, LeakSanitizer and
 * UndefinedBehaviorSanitizer (CMake option PQBRIDGE_SANITIZE) and run by
 * io.pqbridge.pq.natives.ShimSanitizerTest against the test server.
 *
 * usage: pqshim_test CONNINFO
 *
 * Every entry point of pqshim.h is driven through its ordinary use and its
 * edges: NULL handles, buffers too small, results and COPY messages left
 * pending when the connection is finished, a server that goes away in the
 * middle of a COPY, a cancel handle that outlives its connection. The
 * sanitizers report any invalid access or leak; the checks here report wrong
 * answers. Exit status 0 only when every check held.
 */
#define _POSIX_C_SOURCE 200809L

#include "pqshim.h"
#include "shim_checks.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the tests ------------------------------------------------------------------ */

static void null_handles_answer_like_libpq(void)
{
    char buf[256];
    int lengths[4];
    CHECK(pqs_status(NULL) == CONNECTION_BAD);
    CHECK(pqs_transaction_status(NULL) == TX_UNKNOWN);
    CHECK(pqs_backend_pid(NULL) == 0);
    CHECK(pqs_set_single_row_mode(NULL) == 0);
    CHECK(pqs_parameter_statuses(NULL, "TimeZone\0DateStyle", 2, buf, sizeof buf) == 8);
    CHECK(error_text(NULL, buf, sizeof buf) > 0 && strstr(buf, "connection pointer is NULL") != NULL);
    CHECK(pqs_parameter_status(NULL, "server_version", buf, sizeof buf) == -1);
    CHECK(pqs_conninfo(NULL, buf, sizeof buf) == -1);
    CHECK(pqs_send_query(NULL, "SELECT 1") == 0);
    CHECK(pqs_send_query_params(NULL, "SELECT 1", 0, NULL, NULL, NULL, NULL, 0) == 0);
    int one_length[1] = {1};
    CHECK(pqs_send_query_params(NULL, "SELECT $1", 1, NULL, "1", one_length, NULL, 0) == 0);
    CHECK(pqs_send_prepare(NULL, "s", "SELECT 1", 0, NULL) == 0);
    CHECK(pqs_send_query_prepared(NULL, "s", 0, NULL, NULL, NULL, 0) == 0);
    CHECK(pqs_send_query_prepared(NULL, "s", 1, "1", one_length, NULL, 0) == 0);
    CHECK(pqs_send_describe_prepared(NULL, "s") == 0);
    CHECK(pqs_send_describe_portal(NULL, NULL) == 0);
    CHECK(pqs_send_close_prepared(NULL, "s") == 0);
    CHECK(pqs_send_close_portal(NULL, NULL) == 0);
    CHECK(error_text(NULL, buf, sizeof buf) > 0 && strstr(buf, "connection pointer is NULL") != NULL);
    CHECK(pqs_wait_result(NULL, SLICE_MS) == 1);
    CHECK(pqs_next_result(NULL) == 0);
    CHECK(pqs_take_result(NULL, buf, sizeof buf) == -1);
    CHECK(pqs_put_copy_data(NULL, "x", 1, SLICE_MS) == -1);
    CHECK(pqs_put_copy_end(NULL, NULL) == -1);
    CHECK(pqs_flush(NULL, SLICE_MS) == -1);
    CHECK(pqs_get_copy_data(NULL, buf, sizeof buf, lengths, 4, SLICE_MS) == PQS_ERROR);
    CHECK(pqs_pending_copy_length(NULL) == 0);
    CHECK(pqs_events_size(NULL) == 0);
    CHECK(pqs_take_events(NULL, buf, sizeof buf) == 0);
    CHECK(pqs_cancel_create(NULL) == NULL);
    CHECK(pqs_cancel_send(NULL, buf, sizeof buf) == 0);
    CHECK(pqs_cancel_within(NULL, 100, buf, sizeof buf) == 0);
    pqs_cancel_free(NULL);
    pqs_finish(NULL);
}

static void a_failed_connection_has_a_message_and_frees_cleanly(void)
{
    char msg[512];
    pqs_conn *c = pqs_connect("host=/nonexistent-pqbridge-dir port=1 connect_timeout=2");
    CHECK(c != NULL);
    CHECK(pqs_status(c) == CONNECTION_BAD);
    CHECK(error_text(c, msg, sizeof msg) > 0 && strstr(msg, "No such file or directory") != NULL);
    CHECK(pqs_send_query(c, "SELECT 1") == 0);
    CHECK(pqs_cancel_create(c) == NULL);
    pqs_finish(c);
}

static void conninfo_parsing_reports_sizes_and_errors(void)
{
    int failed = -1;
    int need = pqs_conninfo_parse("host=h port=5 application_name='a b'", NULL, 0, &failed);
    CHECK(failed == 0);
    CHECK(need == (int)(sizeof "host\0h\0port\0" "5\0application_name\0a b" ));
    char *buf = malloc((size_t)need);
    CHECK(buf != NULL);
    if (buf != NULL) {
        CHECK(pqs_conninfo_parse("host=h port=5 application_name='a b'", buf, need, &failed) == need);
        CHECK(memcmp(buf, "host\0h\0", 7) == 0);
        free(buf);
    }
    char small[8];
    need = pqs_conninfo_parse("host='unterminated", small, sizeof small, &failed);
    CHECK(failed == 1);
    CHECK(need > (int)sizeof small);
    char *message = malloc((size_t)need);
    CHECK(message != NULL);
    if (message != NULL) {
        /* too small a buffer receives nothing; one of the size returned receives the whole text */
        CHECK(pqs_conninfo_parse("host='unterminated", message, need, &failed) == need && failed == 1);
        CHECK(memcmp(message, "unterminated quoted string", 26) == 0 && message[need - 1] == '\n');
        free(message);
    }
    need = pqs_conninfo_parse("postgresql://[::1", NULL, 0, &failed);
    CHECK(failed == 1 && need > 0);
    need = pqs_conndefaults(NULL, 0);
    CHECK(need > 0);
    buf = malloc((size_t)need);
    CHECK(buf != NULL);
    if (buf != NULL) {
        CHECK(pqs_conndefaults(buf, need) == need);
        free(buf);
    }
}

static void queries_results_and_buffers(const char *conninfo)
{
    pqs_conn *c = connect_ok(conninfo);
    char buf[4096];
    CHECK(pqs_lib_version() >= 100000);
    CHECK(pqs_server_version(c) >= 100000);
    CHECK(pqs_protocol_version(c) == 3);
    CHECK(pqs_backend_pid(c) > 0);
    CHECK(pqs_parameter_status(c, "client_encoding", buf, sizeof buf) == 4 && memcmp(buf, "UTF8", 4) == 0);
    CHECK(pqs_parameter_status(c, "no_such_parameter", buf, sizeof buf) == -1);
    {
        /* several at once: per name an int32 length (-1 when not reported) and the bytes */
        int32_t len;
        CHECK(pqs_parameter_statuses(c, "client_encoding\0no_such_parameter", 2, buf, sizeof buf) == 12);
        memcpy(&len, buf, 4);
        CHECK(len == 4 && memcmp(buf + 4, "UTF8", 4) == 0);
        memcpy(&len, buf + 8, 4);
        CHECK(len == -1);
        CHECK(pqs_parameter_statuses(c, "client_encoding", 1, buf, 3) == 8);
    }
    int need = pqs_conninfo(c, NULL, 0);
    CHECK(need > 0 && pqs_conninfo(c, buf, 8) == need);

    CHECK(pqs_send_query(c, "SELECT 1; SELECT 'a' || 'b'; SELECT 1/0; SELECT 2") == 1);
    CHECK(pqs_transaction_status(c) == TX_ACTIVE);
    CHECK(pqs_send_query(c, "SELECT 3") == 0); /* another command is already in progress */
    result_view v = next_result(c);
    CHECK(v.status == TUPLES_OK && strcmp(v.first_value, "1") == 0 && strcmp(v.cmd_status, "SELECT 1") == 0);
    /* a buffer too small leaves the result pending; a second attempt with room takes it */
    CHECK(wait_ready(c));
    int size = pqs_next_result(c);
    CHECK(size > 16);
    CHECK(pqs_take_result(c, buf, 16) == -1);
    CHECK(pqs_take_result(c, buf, size) == size);
    CHECK(pqs_take_result(c, buf, size) == -1);
    v = view_of(buf, (size_t)size);
    CHECK(v.status == TUPLES_OK && strcmp(v.first_value, "ab") == 0);
    v = next_result(c);
    CHECK(v.status == FATAL_ERROR && strcmp(v.sqlstate, "22012") == 0);
    CHECK(next_result(c).status == -1);
    CHECK(pqs_transaction_status(c) == TX_IDLE);

    /* parameters: text, NULL, binary int4; result in binary */
    unsigned int types[3] = {25, 25, 23};
    const char values[] = "hello\0\0\0\0\x2a\0";
    int lengths[3] = {5, -1, 4};
    int formats[3] = {0, 0, 1};
    CHECK(pqs_send_query_params(c, "SELECT $1 || '!', $2::text IS NULL, $3 + 1", 3, types, values, lengths,
                                formats, 0) == 1);
    v = next_result(c);
    CHECK(v.status == TUPLES_OK && v.nfields == 3 && strcmp(v.first_value, "hello!") == 0);
    CHECK(next_result(c).status == -1);

    /* a result of several megabytes goes through whole */
    v = run(c, "SELECT repeat('x', 3000000)");
    CHECK(v.status == TUPLES_OK && v.first_value_len == 3000000);

    /* a result taken from libpq but never written out is freed by pqs_finish */
    CHECK(pqs_send_query(c, "SELECT generate_series(1, 1000)") == 1);
    CHECK(wait_ready(c) && pqs_next_result(c) > 0);
    pqs_finish(c);
}

/* The one result of a command just sent, checking that the sequence ends after it. */
static result_view only_result(pqs_conn *c)
{
    result_view v = next_result(c);
    CHECK(next_result(c).status == -1);
    return v;
}

static void prepared_statements_describe_and_close(const char *conninfo)
{
    pqs_conn *c = connect_ok(conninfo);
    char msg[512];
    int close_message = pqs_close_sends_close_message();
    printf("pqshim_test: libpq %d, close %s\n", pqs_lib_version(),
           close_message ? "sends the Close message" : "falls back to DEALLOCATE / CLOSE");

    CHECK(pqs_send_prepare(c, "s1", "SELECT $1::int + 1", 0, NULL) == 1);
    result_view v = only_result(c);
    CHECK(v.status == COMMAND_OK && v.nparams == 0 && v.nfields == 0);
    int length[1] = {2};
    CHECK(pqs_send_query_prepared(c, "s1", 1, "41", length, NULL, 0) == 1);
    v = only_result(c);
    CHECK(v.status == TUPLES_OK && strcmp(v.first_value, "42") == 0 && strcmp(v.cmd_status, "SELECT 1") == 0);
    CHECK(pqs_send_describe_prepared(c, "s1") == 1);
    v = only_result(c);
    CHECK(v.status == COMMAND_OK && v.nparams == 1 && v.first_paramtype == 23 && v.nfields == 1 && v.ntuples == 0);

    /* declared types, a NULL value and a binary one, as pqs_send_query_params takes them */
    unsigned int types[2] = {25, 23};
    CHECK(pqs_send_prepare(c, "s2", "SELECT $1 IS NULL, $2 + 1", 2, types) == 1);
    CHECK(only_result(c).status == COMMAND_OK);
    int lengths[2] = {-1, 4};
    int formats[2] = {0, 1};
    CHECK(pqs_send_query_prepared(c, "s2", 2, "\0\0\0\x2a", lengths, formats, 0) == 1);
    v = only_result(c);
    CHECK(v.status == TUPLES_OK && v.nfields == 2 && strcmp(v.first_value, "t") == 0);

    /* NULL names: refused by libpq for prepare and execute, the unnamed statement for describe */
    CHECK(pqs_send_prepare(c, NULL, "SELECT 1", 0, NULL) == 0);
    CHECK(error_text(c, msg, sizeof msg) > 0 && strcmp(msg, "statement name is a null pointer\n") == 0);
    CHECK(pqs_send_query_prepared(c, NULL, 0, NULL, NULL, NULL, 0) == 0);
    CHECK(error_text(c, msg, sizeof msg) > 0 && strcmp(msg, "statement name is a null pointer\n") == 0);
    CHECK(pqs_send_prepare(c, "", "SELECT $1::text", 0, NULL) == 1);
    CHECK(only_result(c).status == COMMAND_OK);
    CHECK(pqs_send_describe_prepared(c, NULL) == 1);
    v = only_result(c);
    CHECK(v.status == COMMAND_OK && v.nparams == 1 && v.first_paramtype == 25);
    CHECK(pqs_send_describe_portal(c, "no_such_portal") == 1);
    v = only_result(c);
    CHECK(v.status == FATAL_ERROR && strcmp(v.sqlstate, "34000") == 0);
    CHECK(pqs_send_describe_portal(c, NULL) == 1);
    CHECK(only_result(c).status == FATAL_ERROR);

    /* close: the Close message, or its SQL fallback (see pqshim.h) */
    CHECK(pqs_send_close_prepared(c, "s1") == 1);
    v = only_result(c);
    CHECK(v.status == COMMAND_OK && strcmp(v.cmd_status, close_message ? "" : "DEALLOCATE") == 0);
    CHECK(pqs_send_close_prepared(c, "s1") == 1);
    v = only_result(c);
    CHECK(close_message ? v.status == COMMAND_OK : (v.status == FATAL_ERROR && strcmp(v.sqlstate, "26000") == 0));
    CHECK(pqs_send_prepare(c, "we\"ird \"\"name", "SELECT 1", 0, NULL) == 1);
    CHECK(only_result(c).status == COMMAND_OK);
    CHECK(pqs_send_close_prepared(c, "we\"ird \"\"name") == 1);
    CHECK(only_result(c).status == COMMAND_OK);
    CHECK(run(c, "BEGIN").status == COMMAND_OK);
    CHECK(run(c, "DECLARE \"cur\"\"sor\" CURSOR FOR SELECT 1").status == COMMAND_OK);
    CHECK(pqs_send_close_portal(c, "cur\"sor") == 1);
    v = only_result(c);
    CHECK(v.status == COMMAND_OK && strcmp(v.cmd_status, close_message ? "" : "CLOSE CURSOR") == 0);
    CHECK(pqs_send_close_portal(c, "cur\"sor") == 1);
    v = only_result(c);
    CHECK(close_message ? v.status == COMMAND_OK : (v.status == FATAL_ERROR && strcmp(v.sqlstate, "34000") == 0));
    CHECK(run(c, "ROLLBACK").status == COMMAND_OK);

    /* refused while another command is in progress, as every send is */
    CHECK(pqs_send_query(c, "SELECT 1") == 1);
    CHECK(pqs_send_prepare(c, "s3", "SELECT 1", 0, NULL) == 0);
    CHECK(pqs_send_close_prepared(c, "s2") == 0);
    /* libpq keeps the error text while a command is in progress: the two refusals accumulate */
    CHECK(error_text(c, msg, sizeof msg) > 0
          && strcmp(msg, "another command is already in progress\nanother command is already in progress\n") == 0);
    CHECK(only_result(c).status == TUPLES_OK);
    pqs_finish(c);
}

static void notices_and_notifications_are_queued(const char *conninfo)
{
    pqs_conn *c = connect_ok(conninfo);
    CHECK(run(c, "LISTEN pqshim_test").status == COMMAND_OK);
    CHECK(run(c, "DO $$ BEGIN RAISE NOTICE 'hello %', repeat('n', 5000); END $$").status == COMMAND_OK);
    CHECK(run(c, "NOTIFY pqshim_test, 'payload'").status == COMMAND_OK);
    int size = pqs_events_size(c);
    CHECK(size > 5000);
    char small[4];
    CHECK(pqs_take_events(c, small, sizeof small) == -1);
    char *buf = size > 0 ? malloc((size_t)size) : NULL;
    CHECK(buf != NULL);
    if (buf != NULL) {
        CHECK(pqs_take_events(c, buf, size) == size);
        int32_t tag;
        memcpy(&tag, buf, sizeof tag);
        CHECK(tag == 'N');
        CHECK(contains(buf, (size_t)size, "payload"));
        free(buf);
    }
    CHECK(pqs_events_size(c) == 0);
    /* events still queued when the connection is finished are freed with it */
    CHECK(run(c, "DO $$ BEGIN RAISE NOTICE 'left behind'; END $$").status == COMMAND_OK);
    CHECK(pqs_events_size(c) > 0);
    pqs_finish(c);
}

static void copy_in_whole_and_failed(const char *conninfo)
{
    pqs_conn *c = connect_ok(conninfo);
    CHECK(run(c, "CREATE TEMP TABLE t (n int, s text)").status == COMMAND_OK);
    CHECK(run(c, "COPY t FROM STDIN").status == COPY_IN);
    static char chunk[64 * 1024];
    long rows = 0;
    for (int round = 0; round < 40; round++) {
        size_t used = 0;
        for (;;) {
            char line[64];
            int n = snprintf(line, sizeof line, "%ld\trow number %ld\n", rows, rows);
            if (used + (size_t)n > sizeof chunk)
                break;
            memcpy(chunk + used, line, (size_t)n);
            used += (size_t)n;
            rows++;
        }
        int r = PQS_WOULD_BLOCK;
        for (int i = 0; i < PATIENCE_SLICES && r == PQS_WOULD_BLOCK; i++)
            r = pqs_put_copy_data(c, chunk, (int)used, SLICE_MS);
        CHECK(r == 1);
    }
    CHECK(pqs_put_copy_data(c, chunk, -1, SLICE_MS) == -1);
    CHECK(pqs_put_copy_end(c, NULL) == 1);
    int flushed = 1;
    for (int i = 0; i < PATIENCE_SLICES && flushed == 1; i++)
        flushed = pqs_flush(c, SLICE_MS);
    CHECK(flushed == 0);
    result_view v = next_result(c);
    char expected[64];
    snprintf(expected, sizeof expected, "COPY %ld", rows);
    CHECK(v.status == COMMAND_OK && strcmp(v.cmd_status, expected) == 0);
    CHECK(next_result(c).status == -1);

    /* CopyFail: the server answers with an error naming the message, nothing stored */
    CHECK(run(c, "COPY t FROM STDIN").status == COPY_IN);
    CHECK(pqs_put_copy_data(c, "1\tx\n", 4, SLICE_MS) == 1);
    CHECK(pqs_put_copy_end(c, "stopped by the test") == 1);
    CHECK(pqs_flush(c, 5000) == 0);
    v = next_result(c);
    CHECK(v.status == FATAL_ERROR && strcmp(v.sqlstate, "57014") == 0);
    CHECK(next_result(c).status == -1);
    snprintf(expected, sizeof expected, "%ld", rows);
    v = run(c, "SELECT count(*) FROM t");
    CHECK(v.status == TUPLES_OK && strcmp(v.first_value, expected) == 0);

    /* finished in the middle of a COPY IN with data queued */
    CHECK(run(c, "COPY t FROM STDIN").status == COPY_IN);
    CHECK(pqs_put_copy_data(c, chunk, (int)sizeof chunk / 2, SLICE_MS) == 1);
    pqs_finish(c);
}

static void copy_out_whole_small_buffers_and_abandoned(const char *conninfo)
{
    pqs_conn *c = connect_ok(conninfo);
    static char buf[64 * 1024];
    int lengths[1024];
    CHECK(run(c, "COPY (SELECT n, repeat('y', n % 50) FROM generate_series(1, 200000) n) TO STDOUT").status
          == COPY_OUT);
    CHECK(drain_copy_out(c, buf, sizeof buf, lengths, 1024) == 200000);
    result_view v = next_result(c);
    CHECK(v.status == COMMAND_OK && strcmp(v.cmd_status, "COPY 200000") == 0);
    CHECK(next_result(c).status == -1);

    /* a message larger than the buffer stays pending and says its size */
    CHECK(run(c, "COPY (SELECT repeat('z', 50000)) TO STDOUT").status == COPY_OUT);
    int n = PQS_WOULD_BLOCK;
    for (int i = 0; i < PATIENCE_SLICES && n == PQS_WOULD_BLOCK; i++)
        n = pqs_get_copy_data(c, buf, 1000, lengths, 1024, SLICE_MS);
    CHECK(n == PQS_TOO_SMALL);
    CHECK(pqs_pending_copy_length(c) == 50001);
    /* one message at a time when max_msgs is 1 */
    n = pqs_get_copy_data(c, buf, sizeof buf, lengths, 1, SLICE_MS);
    CHECK(n == 1 && lengths[0] == 50001);
    CHECK(drain_copy_out(c, buf, sizeof buf, lengths, 1024) == 0);
    CHECK(next_result(c).status == COMMAND_OK);
    CHECK(next_result(c).status == -1);

    /* finished with a message pending (too large for the buffer) and the rest unread */
    CHECK(run(c, "COPY (SELECT repeat('w', 5000) FROM generate_series(1, 1000)) TO STDOUT").status == COPY_OUT);
    n = PQS_WOULD_BLOCK;
    for (int i = 0; i < PATIENCE_SLICES && n == PQS_WOULD_BLOCK; i++)
        n = pqs_get_copy_data(c, buf, 100, lengths, 1024, SLICE_MS);
    CHECK(n == PQS_TOO_SMALL && pqs_pending_copy_length(c) == 5001);
    pqs_finish(c);
}

static void a_cancel_handle_works_and_outlives_its_connection(const char *conninfo)
{
    pqs_conn *c = connect_ok(conninfo);
    char err[256];
    pqs_cancel *k = pqs_cancel_create(c);
    CHECK(k != NULL);
    CHECK(pqs_send_query(c, "SELECT pg_sleep(30)") == 1);
    CHECK(pqs_wait_result(c, 300) == 0); /* still sleeping */
    CHECK(pqs_cancel_send(k, err, sizeof err) == 1);
    result_view v = next_result(c);
    CHECK(v.status == FATAL_ERROR && strcmp(v.sqlstate, "57014") == 0);
    CHECK(next_result(c).status == -1);
    pqs_finish(c);
    /* the connection is gone; the handle still holds its own copy of the address and key */
    CHECK(pqs_cancel_send(k, err, 1) == 1 || err[0] == '\0');
    /* bounded: libpq 17's cancel connection, or -2 on an older libpq; twice, so the reset path runs */
    for (int i = 0; i < 2; i++) {
        int within = pqs_cancel_within(k, 5000, err, sizeof err);
        CHECK(within == 1 || within == -2 || (within == 0 && err[0] != '\0'));
    }
    pqs_cancel_free(k);
}

static void a_server_that_goes_away_mid_copy_is_an_error_not_a_crash(const char *conninfo)
{
    pqs_conn *c = connect_ok(conninfo);
    pqs_conn *killer = connect_ok(conninfo);
    static char buf[64 * 1024];
    int lengths[1024];
    char sql[128];
    CHECK(run(c, "COPY (SELECT n FROM generate_series(1, 100000000) n) TO STDOUT").status == COPY_OUT);
    CHECK(pqs_get_copy_data(c, buf, sizeof buf, lengths, 1024, 5000) > 0);
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)", pqs_backend_pid(c));
    result_view v = run(killer, sql);
    CHECK(v.status == TUPLES_OK && strcmp(v.first_value, "t") == 0);
    CHECK(drain_copy_out(c, buf, sizeof buf, lengths, 1024) == -1 || next_result(c).status == FATAL_ERROR);
    for (int i = 0; i < 10 && next_result(c).status >= 0; i++)
        ;
    CHECK(pqs_status(c) == CONNECTION_BAD);
    char msg[512];
    CHECK(error_text(c, msg, sizeof msg) > 0);
    CHECK(pqs_send_query(c, "SELECT 1") == 0);
    pqs_finish(c);
    pqs_finish(killer);
}

/* Chunked-rows mode, built from single rows on a libpq older than 17: chunks, the tag, an error, an abandoned chunk. */
static void chunked_rows_come_whole_and_free_cleanly(const char *conninfo)
{
    pqs_conn *c = connect_ok(conninfo);
    CHECK(pqs_set_chunked_rows_mode(c, 2) == 0); /* nothing sent */
    CHECK(pqs_send_query(c, "SELECT g FROM generate_series(1, 5) g") == 1);
    CHECK(pqs_set_chunked_rows_mode(c, 0) == 0);
    CHECK(pqs_set_chunked_rows_mode(c, 2) == 1);
    result_view v = next_result(c);
    CHECK(v.status == 12 && v.ntuples == 2 && strcmp(v.first_value, "1") == 0 && v.cmd_status[0] == '\0');
    v = next_result(c);
    CHECK(v.status == 12 && v.ntuples == 2 && strcmp(v.first_value, "3") == 0);
    v = next_result(c);
    CHECK(v.status == 12 && v.ntuples == 1 && strcmp(v.first_value, "5") == 0 && strcmp(v.cmd_status, "SELECT 5") == 0);
    v = next_result(c);
    CHECK(v.status == TUPLES_OK && v.ntuples == 0 && v.cmd_status[0] == '\0');
    CHECK(next_result(c).status == -1);

    CHECK(pqs_send_query(c, "SELECT 6 / (3 - g) FROM generate_series(1, 5) g") == 1);
    CHECK(pqs_set_chunked_rows_mode(c, 3) == 1);
    v = next_result(c);
    CHECK(v.status == FATAL_ERROR && strcmp(v.sqlstate, "22012") == 0); /* the two rows before it are dropped */
    CHECK(next_result(c).status == -1);

    /* a chunk left unread is freed by pqs_finish (the sanitizer checks that nothing leaks) */
    CHECK(pqs_send_query(c, "SELECT g FROM generate_series(1, 1000) g") == 1);
    CHECK(pqs_set_chunked_rows_mode(c, 100) == 1);
    CHECK(wait_ready(c) && pqs_next_result(c) > 0);
    pqs_finish(c);
}

static int read_all(int fd, char *buf, int cap)
{
    int n = 0;
    ssize_t got;
    while (n < cap - 1 && (got = read(fd, buf + n, (size_t)(cap - 1 - n))) > 0)
        n += (int)got;
    buf[n] = '\0';
    return n;
}

/* The trace's pipe: lines as libpq writes them, end of file at untrace and at finish, nothing leaked. */
static void a_trace_reaches_its_pipe_and_closes_with_the_connection(const char *conninfo)
{
    static char text[16 * 1024];
    CHECK(pqs_trace_pipe(NULL, 0) == -1);
    pqs_untrace(NULL);
    pqs_conn *c = connect_ok(conninfo);
    pqs_untrace(c); /* nothing to end */
    int first = pqs_trace_pipe(c, 3); /* suppress timestamps, regress mode */
    CHECK(first >= 0);
    CHECK(run(c, "SELECT 1").status == TUPLES_OK);
    int second = pqs_trace_pipe(c, 3); /* ends the first: its reader sees end of file */
    CHECK(second >= 0);
    CHECK(read_all(first, text, sizeof text) > 0 && strstr(text, "F\t13\tQuery\t \"SELECT 1\"\n") != NULL);
    pqs_close_fd(first);
    CHECK(run(c, "SELECT 2").status == TUPLES_OK);
    pqs_untrace(c);
    CHECK(read_all(second, text, sizeof text) > 0 && strstr(text, "\"SELECT 2\"") != NULL);
    pqs_close_fd(second);
    int last = pqs_trace_pipe(c, 3); /* left open: pqs_finish closes it after tracing the Terminate */
    CHECK(last >= 0);
    pqs_finish(c);
    CHECK(read_all(last, text, sizeof text) > 0 && strstr(text, "F\t4\tTerminate\n") != NULL);
    pqs_close_fd(last);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pqshim_test CONNINFO\n");
        return 2;
    }
    const char *conninfo = argv[1];
    pqs_conn *probe = pqs_connect(conninfo);
    if (pqs_status(probe) != CONNECTION_OK) {
        char msg[512];
        error_text(probe, msg, sizeof msg);
        fprintf(stderr, "pqshim_test: cannot connect to the test server: %s\n", msg);
        pqs_finish(probe);
        return 2;
    }
    pqs_finish(probe);
    null_handles_answer_like_libpq();
    a_failed_connection_has_a_message_and_frees_cleanly();
    conninfo_parsing_reports_sizes_and_errors();
    queries_results_and_buffers(conninfo);
    prepared_statements_describe_and_close(conninfo);
    notices_and_notifications_are_queued(conninfo);
    copy_in_whole_and_failed(conninfo);
    copy_out_whole_small_buffers_and_abandoned(conninfo);
    a_cancel_handle_works_and_outlives_its_connection(conninfo);
    a_server_that_goes_away_mid_copy_is_an_error_not_a_crash(conninfo);
    chunked_rows_come_whole_and_free_cleanly(conninfo);
    a_trace_reaches_its_pipe_and_closes_with_the_connection(conninfo);
#ifdef __SANITIZE_ADDRESS__
    /* the JUnit side requires this line: a build that lost its sanitizer flags must not pass */
    printf("pqshim_test: built with AddressSanitizer\n");
#endif
    printf("pqshim_test: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
