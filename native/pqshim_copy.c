/*
 * COPY through the shim: rows queued with libpq's own back-pressure, and
 * CopyData messages handed out in batches. See pqshim.h for the contract.
 *
 * Implementation notes
 * --------------------
 * Ownership: a message that does not fit the caller's buffer stays with the
 * handle (pending_copy) until the next call hands it out or pqs_finish frees
 * it; every other message is copied out and freed at once.
 *
 * Waiting: as everywhere in the shim, a poll() bounded by the caller's slice
 * (pqs_wait_socket), so no call holds the JVM thread longer than one slice.
 */
#define _POSIX_C_SOURCE 200809L

#include "pqshim.h"
#include "pqshim_conn.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>

/* libpq writes its output buffer once this much is pending (pqPutMsgEnd); back-pressure uses the same size */
#define PQS_FLUSH_THRESHOLD 8192u

int pqs_put_copy_data(pqs_conn *c, const char *buf, int len, int slice_ms)
{
    PGconn *conn = pqs_pgconn(c);
    if (conn == NULL)
        return PQputCopyData(conn, buf, 0); /* libpq's answer to a NULL connection: -1 */
    if (len < 0)
        return -1;
    /*
     * Back-pressure at libpq's own batching size: once a block's worth of data is queued, wait
     * until the socket took all of it (as blocking libpq does at 8 KB) before queuing more.
     * Smaller amounts stay buffered, so small rows are not sent one write each.
     */
    if (c->unflushed >= PQS_FLUSH_THRESHOLD) {
        int flushed = pqs_flush(c, slice_ms);
        if (flushed < 0)
            return -1;
        if (flushed > 0)
            return PQS_WOULD_BLOCK;
    }
    int r = PQputCopyData(conn, buf, len);
    if (r > 0)
        c->unflushed += (size_t)len;
    return r;
}

int pqs_put_copy_end(pqs_conn *c, const char *errmsg)
{
    return PQputCopyEnd(pqs_pgconn(c), errmsg);
}

int pqs_flush(pqs_conn *c, int slice_ms)
{
    PGconn *conn = pqs_pgconn(c);
    if (conn == NULL)
        return PQflush(conn);
    int64_t deadline = pqs_now_ms() + slice_ms;
    for (;;) {
        int flushed = PQflush(conn);
        if (flushed == 0)
            c->unflushed = 0;
        if (flushed <= 0)
            return flushed;
        int64_t remaining = deadline - pqs_now_ms();
        if (remaining <= 0)
            return 1;
        short ev = pqs_wait_socket(conn, POLLOUT | POLLIN, (int)remaining);
        if (ev & POLLIN)
            PQconsumeInput(conn);
    }
}

int pqs_get_copy_data(pqs_conn *c, char *dst, int cap, int *lengths, int max_msgs, int slice_ms)
{
    PGconn *conn = pqs_pgconn(c);
    if (conn == NULL || dst == NULL || lengths == NULL || cap < 0 || max_msgs < 1) {
        char *unused = NULL;
        int r = PQgetCopyData(conn, &unused, 1); /* NULL conn: -2, libpq's answer */
        if (unused != NULL)
            PQfreemem(unused);
        return r < 0 ? r : PQS_ERROR;
    }
    if (c->deferred_copy_status != 0) {
        int status = c->deferred_copy_status;
        c->deferred_copy_status = 0;
        return status;
    }
    /*
     * As blocking libpq: the socket is read only when no whole message is buffered and poll() says
     * it is ready, and what was found is handed out without reading on (one poll and one read per
     * batch, no read that finds nothing). Under TLS or GSS the encryption layer may hold data that
     * does not make the socket ready, so there it is read before it is waited for.
     */
    int may_read = PQsslInUse(conn) || PQgssEncInUse(conn);
    int64_t deadline = 0; /* set by the first wait: a call that finds data buffered reads no clock */
    int waited = 0;
    int n = 0;
    size_t used = 0;
    for (;;) {
        char *msg;
        int len;
        if (c->pending_copy != NULL) {
            msg = c->pending_copy;
            len = c->pending_copy_len;
            c->pending_copy = NULL;
        } else {
            msg = NULL;
            len = PQgetCopyData(conn, &msg, 1);
        }
        if (len > 0) {
            if (used + (size_t)len > (size_t)cap || n == max_msgs) {
                c->pending_copy = msg;
                c->pending_copy_len = len;
                return n > 0 ? n : PQS_TOO_SMALL;
            }
            memcpy(dst + used, msg, (size_t)len);
            PQfreemem(msg);
            lengths[n++] = len;
            used += (size_t)len;
            continue;
        }
        if (len < 0) {
            if (n > 0) {
                c->deferred_copy_status = len;
                return n;
            }
            return len;
        }
        /* len == 0: no complete message is buffered */
        if (n > 0)
            return n;
        if (may_read) {
            may_read = 0;
            if (!PQconsumeInput(conn))
                return PQS_ERROR;
            continue;
        }
        int remaining = slice_ms;
        if (!waited) {
            waited = 1;
            deadline = pqs_now_ms() + slice_ms;
        } else {
            int64_t left = deadline - pqs_now_ms();
            if (left <= 0)
                return PQS_WOULD_BLOCK;
            remaining = (int)left;
        }
        short ev = pqs_wait_socket(conn, POLLIN, remaining);
        if (ev != 0)
            may_read = 1;
    }
}

int pqs_pending_copy_length(pqs_conn *c)
{
    return (pqs_pgconn(c) != NULL && c->pending_copy != NULL) ? c->pending_copy_len : 0;
}
