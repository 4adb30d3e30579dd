/*
 * The helpers of the shim's tests; see shim_checks.h.
 */
#define _POSIX_C_SOURCE 200809L

#include "shim_checks.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int checks;
int failures;

/* ---- reading a serialised result (layout in pqshim_result.c) ------------- */

typedef struct {
    const char *buf;
    size_t len;
    size_t pos;
} reader;

static int32_t get_i32(reader *r)
{
    int32_t v = 0;
    if (r->pos + sizeof v <= r->len)
        memcpy(&v, r->buf + r->pos, sizeof v);
    r->pos += sizeof v;
    return v;
}

/* Skips a string; returns its length (-1 for NULL) and points *at at its bytes. */
static int32_t get_str(reader *r, const char **at)
{
    int32_t n = get_i32(r);
    *at = r->buf + r->pos;
    if (n > 0)
        r->pos += (size_t)n;
    return n;
}


static void copy_text(char *dst, size_t cap, const char *src, int32_t n)
{
    size_t len = n > 0 ? (size_t)n : 0;
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

result_view view_of(const char *buf, size_t len)
{
    result_view v;
    memset(&v, 0, sizeof v);
    v.first_value_len = -2;
    reader r = {buf, len, 0};
    const char *s;
    v.status = get_i32(&r);
    v.ntuples = get_i32(&r);
    v.nfields = get_i32(&r);
    get_i32(&r); /* binaryTuples */
    v.nparams = get_i32(&r);
    for (int i = 0; i < v.nparams; i++) {
        int type = get_i32(&r);
        if (i == 0)
            v.first_paramtype = type;
    }
    for (int i = 0; i < v.nfields; i++) {
        for (int k = 0; k < 6; k++)
            get_i32(&r);
        get_str(&r, &s);
    }
    int32_t n = get_str(&r, &s);
    copy_text(v.cmd_status, sizeof v.cmd_status, s, n);
    get_str(&r, &s); /* error message */
    int nerr = get_i32(&r);
    for (int i = 0; i < nerr; i++) {
        int code = get_i32(&r);
        n = get_str(&r, &s);
        if (code == 'C')
            copy_text(v.sqlstate, sizeof v.sqlstate, s, n);
    }
    if (v.ntuples > 0 && v.nfields > 0) {
        n = get_str(&r, &s);
        v.first_value_len = n;
        copy_text(v.first_value, sizeof v.first_value, s, n);
    }
    return v;
}

int contains(const char *buf, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(buf + i, needle, n) == 0)
            return 1;
    return 0;
}

/* ---- driving the shim -------------------------------------------------------- */

int wait_ready(pqs_conn *c)
{
    for (int i = 0; i < PATIENCE_SLICES; i++)
        if (pqs_wait_result(c, SLICE_MS))
            return 1;
    return 0;
}

result_view next_result(pqs_conn *c)
{
    result_view none;
    memset(&none, 0, sizeof none);
    none.status = -1;
    if (!wait_ready(c))
        return none;
    int size = pqs_next_result(c);
    if (size <= 0)
        return none;
    char *buf = malloc((size_t)size);
    if (buf == NULL)
        return none;
    int taken = pqs_take_result(c, buf, size);
    result_view v = taken == size ? view_of(buf, (size_t)size) : none;
    free(buf);
    return v;
}

result_view run(pqs_conn *c, const char *sql)
{
    result_view last;
    memset(&last, 0, sizeof last);
    last.status = -1;
    CHECK(pqs_send_query(c, sql) == 1);
    for (;;) {
        result_view v = next_result(c);
        if (v.status < 0)
            break;
        last = v;
        if (v.status == COPY_IN || v.status == COPY_OUT)
            break;
    }
    return last;
}

int error_text(pqs_conn *c, char *buf, size_t cap)
{
    int n = pqs_error_message(c, buf, (int)cap - 1);
    buf[n > 0 ? ((size_t)n < cap - 1 ? (size_t)n : cap - 1) : 0] = '\0';
    return n;
}

pqs_conn *connect_ok(const char *conninfo)
{
    pqs_conn *c = pqs_connect(conninfo);
    CHECK(c != NULL);
    if (c != NULL && pqs_status(c) != CONNECTION_OK) {
        char msg[512];
        error_text(c, msg, sizeof msg);
        fprintf(stderr, "cannot connect: %s\n", msg);
        CHECK(pqs_status(c) == CONNECTION_OK);
    }
    return c;
}

long drain_copy_out(pqs_conn *c, char *buf, int cap, int *lengths, int max_msgs)
{
    long rows = 0;
    for (int idle = 0; idle < PATIENCE_SLICES;) {
        int n = pqs_get_copy_data(c, buf, cap, lengths, max_msgs, SLICE_MS);
        if (n > 0) {
            rows += n;
            idle = 0;
        } else if (n == PQS_WOULD_BLOCK) {
            idle++;
        } else if (n == PQS_COPY_END) {
            return rows;
        } else {
            return -1;
        }
    }
    return -1;
}
