/*
 * Shared between the shim's own source files, never by its users (pqshim.h is
 * the public contract): the libpq connection behind a handle.
 */
#ifndef PQSHIM_CONN_H
#define PQSHIM_CONN_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "pqshim.h"

/*
 * The PGconn of a live handle; NULL for NULL, a finished or a foreign handle,
 * so the libpq call that follows answers as it answers a NULL PGconn.
 */
PGconn *pqs_pgconn(pqs_conn *c);

/* The monotonic clock in milliseconds: the deadlines of the shim's slices. */
int64_t pqs_now_ms(void);

/*
 * Waits at most timeout_ms (0 when negative) for events on the connection's
 * socket with one poll(); returns revents: 0 on timeout or an interrupted
 * poll, POLLERR without a socket or on a failed poll.
 */
short pqs_wait_socket(PGconn *conn, short events, int timeout_ms);

/*
 * The serialised result layout (see pqshim_result.c): a writer counts when buf is
 * NULL and writes while pos + n <= cap.
 */
typedef struct {
    char *buf;
    size_t cap;
    size_t pos;
} pqs_writer;

void pqs_put_bytes(pqs_writer *w, const void *p, size_t n);
void pqs_put_i32(pqs_writer *w, int32_t v);
/* A string: its length (-1 for NULL), then its bytes without terminator. */
void pqs_put_str(pqs_writer *w, const char *s);

/* r laid out whole, and the size that takes. */
void pqs_write_result(pqs_writer *w, const PGresult *r);
size_t pqs_result_size(const PGresult *r);

/* r laid out up to its rows, with this status, row count and command status. */
void pqs_write_head(pqs_writer *w, const PGresult *r, int status, int ntuples, const char *cmd_status);

/* r's rows as the layout has them. */
void pqs_write_rows(pqs_writer *w, const PGresult *r);

/*
 * Chunked-rows mode built from single-row mode (pqshim_chunks.c), for a libpq
 * without PQsetChunkedRowsMode. The connection owns its state (NULL until
 * first used) and frees it with pqs_chunks_free.
 */
typedef struct pqs_chunks pqs_chunks;

/* Chunks of size rows for the command being read; 0 when memory is exhausted. */
int pqs_chunks_start(pqs_chunks **state, int size);
/* Whether the command being read is chunked, or chunking left something to hand out. */
int pqs_chunks_active(const pqs_chunks *state);
/* Takes the results libpq has without blocking; 1 when something is ready to hand out. */
int pqs_chunks_pump(pqs_chunks *state, PGconn *conn);
/*
 * The size of what pqs_chunks_take hands out next, and its status; 0 at the
 * end of the command's results, -1 if too large.
 */
int pqs_chunks_next(pqs_chunks *state, PGconn *conn, int *status);
/* The mode ends (libpq reset its single-row flag); a NULL state is fine. */
void pqs_chunks_stop(pqs_chunks *state);
/* Whether a chunk or a result waits for pqs_chunks_take. */
int pqs_chunks_has_output(const pqs_chunks *state);
/* Writes it (the size pqs_chunks_next said, at most cap) and lets go of it; -1 when it does not fit. */
int pqs_chunks_take(pqs_chunks *state, char *buf, int cap);
void pqs_chunks_free(pqs_chunks *state);

/*
 * A handle (pqs_connect's). pqs_finish frees it and everything it owns; magic
 * is PQS_MAGIC while it lives.
 */
#define PQS_MAGIC 0x70717368u /* "pqsh" */
#define PQS_DEAD 0u
struct pqs_conn {
    uint32_t magic;
    PGconn *conn;
    PGresult *pending_result; /* from PQgetResult, owned until serialised or finish */
    size_t pending_size;       /* pending_result's serialised size, from pqs_next_result */
    char *pending_copy;       /* from PQgetCopyData, owned until copied out or finish */
    int pending_copy_len;
    int deferred_copy_status; /* -1/-2 seen after messages were already copied; 0 = none */
    size_t unflushed;         /* COPY IN bytes queued since output was last fully sent */
    char *events;             /* queued notice/notification records */
    size_t events_len;
    size_t events_cap;
    pqs_chunks *chunks;       /* chunked-rows mode built from single rows; NULL until first used */
    FILE *trace;              /* PQtrace's stream, the write end of a pipe; NULL when not tracing */
};

/* Ends the handle's trace (pqshim_trace.c): closes its pipe, whose reader then sees end of file. */
void pqs_trace_close(pqs_conn *c);

#endif
