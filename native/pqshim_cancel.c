/*
 * pqshim's cancel handles (pqs_cancel_*, see pqshim.h): a PGcancel taken from a
 * connection, and on a libpq 17 or later also a PGcancelConn (libpq 17's
 * non-blocking cancel connection), both checked by the handle's magic number
 * and freed exactly once by pqs_cancel_free. Independent of the connection once
 * made, so another thread may cancel with it while the connection is in use.
 *
 * libpq 17's cancel-connection functions are declared weak, as in pqshim.c:
 * on an older libpq they are NULL and pqs_cancel_within says so (-2).
 */
#define _POSIX_C_SOURCE 200809L

#include "pqshim.h"
#include "pqshim_conn.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef LIBPQ_HAS_ASYNC_CANCEL
/* libpq 17 and later; older headers lack them (libpq-fe.h's prototypes). */
typedef struct pg_cancel_conn PGcancelConn;
extern PGcancelConn *PQcancelCreate(PGconn *conn);
extern int PQcancelStart(PGcancelConn *cancelConn);
extern PostgresPollingStatusType PQcancelPoll(PGcancelConn *cancelConn);
extern int PQcancelSocket(const PGcancelConn *cancelConn);
extern char *PQcancelErrorMessage(const PGcancelConn *cancelConn);
extern void PQcancelReset(PGcancelConn *cancelConn);
extern void PQcancelFinish(PGcancelConn *cancelConn);
#endif
#pragma weak PQcancelCreate
#pragma weak PQcancelStart
#pragma weak PQcancelPoll
#pragma weak PQcancelSocket
#pragma weak PQcancelErrorMessage
#pragma weak PQcancelReset
#pragma weak PQcancelFinish

#define PQS_CANCEL_MAGIC 0x70716361u /* "pqca" */
#define PQS_CANCEL_DEAD 0u

struct pqs_cancel {
    uint32_t magic;
    PGcancel *cancel;
    PGcancelConn *cancel_conn; /* libpq 17+; NULL on an older libpq (or out of memory) */
    int cancel_conn_used;      /* started once: reset before the next start */
};

pqs_cancel *pqs_cancel_create(pqs_conn *c)
{
    PGconn *conn = pqs_pgconn(c);
    if (conn == NULL)
        return NULL;
    PGcancel *cancel = PQgetCancel(conn);
    if (cancel == NULL)
        return NULL;
    pqs_cancel *k = malloc(sizeof *k);
    if (k == NULL) {
        PQfreeCancel(cancel);
        return NULL;
    }
    k->magic = PQS_CANCEL_MAGIC;
    k->cancel = cancel;
    k->cancel_conn = PQcancelCreate != NULL ? PQcancelCreate(conn) : NULL;
    k->cancel_conn_used = 0;
    return k;
}

int pqs_cancel_send(pqs_cancel *k, char *errbuf, int cap)
{
    char local[256];
    local[0] = '\0';
    int ok = PQcancel((k != NULL && k->magic == PQS_CANCEL_MAGIC) ? k->cancel : NULL, local,
                      (int)sizeof local);
    if (!ok && errbuf != NULL && cap > 0) {
        size_t n = strlen(local);
        if (n >= (size_t)cap)
            n = (size_t)cap - 1;
        memcpy(errbuf, local, n);
        errbuf[n] = '\0';
    }
    return ok;
}

static void copy_error(const char *text, char *errbuf, int cap)
{
    if (errbuf == NULL || cap <= 0)
        return;
    size_t n = text != NULL ? strlen(text) : 0;
    if (n >= (size_t)cap)
        n = (size_t)cap - 1;
    if (n > 0)
        memcpy(errbuf, text, n);
    errbuf[n] = '\0';
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int pqs_cancel_within(pqs_cancel *k, int timeout_ms, char *errbuf, int cap)
{
    if (k == NULL || k->magic != PQS_CANCEL_MAGIC) {
        copy_error("invalid cancel handle\n", errbuf, cap);
        return 0;
    }
    if (k->cancel_conn == NULL)
        return -2;
    if (k->cancel_conn_used)
        PQcancelReset(k->cancel_conn);
    k->cancel_conn_used = 1;
    long long deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    if (!PQcancelStart(k->cancel_conn)) {
        copy_error(PQcancelErrorMessage(k->cancel_conn), errbuf, cap);
        return 0;
    }
    for (;;) {
        PostgresPollingStatusType polled = PQcancelPoll(k->cancel_conn);
        if (polled == PGRES_POLLING_OK)
            return 1;
        if (polled == PGRES_POLLING_FAILED) {
            copy_error(PQcancelErrorMessage(k->cancel_conn), errbuf, cap);
            return 0;
        }
        long long left = deadline - now_ms();
        if (left <= 0) {
            PQcancelReset(k->cancel_conn); /* closes the cancel connection's socket */
            k->cancel_conn_used = 0;
            return -1;
        }
        struct pollfd fd = {.fd = PQcancelSocket(k->cancel_conn),
                            .events = polled == PGRES_POLLING_READING ? POLLIN : POLLOUT};
        if (poll(&fd, 1, left > 1000000 ? 1000000 : (int)left) < 0 && errno != EINTR) {
            copy_error("poll() failed while waiting for the cancel connection\n", errbuf, cap);
            return 0;
        }
    }
}

void pqs_cancel_free(pqs_cancel *k)
{
    if (k == NULL || k->magic != PQS_CANCEL_MAGIC)
        return;
    k->magic = PQS_CANCEL_DEAD;
    PQfreeCancel(k->cancel);
    k->cancel = NULL;
    if (k->cancel_conn != NULL)
        PQcancelFinish(k->cancel_conn);
    k->cancel_conn = NULL;
    free(k);
}
