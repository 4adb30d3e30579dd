/*
 * Chunked-rows mode for a libpq without PQsetChunkedRowsMode (older than 17):
 * the command runs in single-row mode and its rows are gathered here into
 * results of status PGRES_TUPLES_CHUNK (12), laid out as pqshim.c lays out any
 * result, so that Java sees what libpq 17 and 18 hand out:
 *   - a chunk of `size` rows as soon as it is full;
 *   - at the end of a result set, a short last chunk takes the set's command
 *     status and the set's PGRES_TUPLES_OK follows with an empty one; when the
 *     rows filled every chunk the PGRES_TUPLES_OK keeps its command status;
 *   - rows gathered when an error arrives are dropped, the error handed out;
 *   - every other result passes through unchanged.
 * The mode lasts as long as libpq's single-row flag under it: pqshim.c stops
 * it (pqs_chunks_stop) where libpq resets that flag.
 *
 * Ownership: the state owns the first single-row result of the chunk being
 * gathered (its columns make the chunk's head), the serialised rows, the
 * command status a short chunk takes, and at most one whole result waiting to
 * be handed out plus one held back behind a short chunk; pqs_chunks_take and
 * pqs_chunks_free release each exactly once.
 *
 * Memory exhausted while gathering: the rows so far are dropped and an empty
 * PGRES_FATAL_ERROR result (libpq's PQmakeEmptyPGresult, carrying the
 * connection's error text) is handed out in their place.
 */
#define _POSIX_C_SOURCE 200809L

#include "pqshim_conn.h"

#include <limits.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PQS_TUPLES_CHUNK 12 /* libpq 17's PGRES_TUPLES_CHUNK */

struct pqs_chunks {
    int size;         /* rows per chunk; 0 once the command's results are over */
    PGresult *first;  /* the chunk's first single-row result: its columns make the chunk's head */
    int rows;         /* rows gathered */
    char *body;       /* the gathered rows, serialised */
    size_t body_len;
    size_t body_cap;
    char *tag;        /* the command status a short last chunk takes (malloc'd), NULL otherwise */
    int chunk_ready;  /* the gathered rows are a chunk to hand out */
    PGresult *result; /* a whole result to hand out */
    int clear_tag;    /* hand result out with an empty command status: a short chunk took it */
    PGresult *held;   /* the set's PGRES_TUPLES_OK, held back behind the short chunk */
    int ended;        /* PQgetResult returned NULL */
};

int pqs_chunks_start(pqs_chunks **state, int size)
{
    if (*state == NULL) {
        *state = calloc(1, sizeof **state);
        if (*state == NULL)
            return 0;
    }
    (*state)->size = size;
    return 1;
}

int pqs_chunks_has_output(const pqs_chunks *s)
{
    return s != NULL && (s->chunk_ready || s->result != NULL);
}

int pqs_chunks_active(const pqs_chunks *s)
{
    return s != NULL && (s->size > 0 || pqs_chunks_has_output(s) || s->held != NULL || s->ended);
}

/* Forgets the gathered rows. */
static void drop_chunk(pqs_chunks *s)
{
    PQclear(s->first);
    s->first = NULL;
    s->rows = 0;
    s->body_len = 0;
    free(s->tag);
    s->tag = NULL;
    s->chunk_ready = 0;
}

/*
 * Appends r's row to the chunk; takes r. 0 when memory is exhausted (r is freed then).
 * One pass in the usual case: the row is written into the room left, and only a row that
 * did not fit (the writer counts past its cap without writing) is written again after growing.
 */
static int add_row(pqs_chunks *s, PGresult *r)
{
    pqs_writer w = {s->body != NULL ? s->body + s->body_len : NULL, s->body_cap - s->body_len, 0};
    pqs_write_rows(&w, r);
    if (w.pos > w.cap) {
        size_t cap = s->body_cap ? s->body_cap : 4096;
        while (cap < s->body_len + w.pos)
            cap *= 2;
        char *grown = realloc(s->body, cap);
        if (grown == NULL) {
            PQclear(r);
            return 0;
        }
        s->body = grown;
        s->body_cap = cap;
        pqs_writer again = {s->body + s->body_len, w.pos, 0};
        pqs_write_rows(&again, r);
    }
    s->body_len += w.pos;
    s->rows++;
    if (s->first == NULL)
        s->first = r;
    else
        PQclear(r);
    return 1;
}

int pqs_chunks_pump(pqs_chunks *s, PGconn *conn)
{
    for (;;) {
        if (pqs_chunks_has_output(s) || s->ended)
            return 1;
        if (s->held != NULL) {
            s->result = s->held;
            s->held = NULL;
            s->clear_tag = 1;
            return 1;
        }
        if (PQisBusy(conn))
            return 0;
        PGresult *r = PQgetResult(conn);
        if (r == NULL) {
            s->ended = 1;
            return 1;
        }
        ExecStatusType status = PQresultStatus(r);
        if (status == PGRES_SINGLE_TUPLE) {
            if (!add_row(s, r)) {
                drop_chunk(s);
                s->result = PQmakeEmptyPGresult(conn, PGRES_FATAL_ERROR);
                return 1;
            }
            if (s->rows >= s->size)
                s->chunk_ready = 1;
            continue;
        }
        if (status == PGRES_TUPLES_OK && s->rows > 0) {
            s->tag = strdup(PQcmdStatus(r));
            s->held = r;
            s->chunk_ready = 1;
            return 1;
        }
        drop_chunk(s); /* an error ends the gathered rows without them, as libpq 17 drops them */
        s->result = r;
        return 1;
    }
}

/* The chunk's or the result's layout into w. */
static void write_output(const pqs_chunks *s, pqs_writer *w)
{
    if (s->chunk_ready) {
        pqs_write_head(w, s->first, PQS_TUPLES_CHUNK, s->rows, s->tag != NULL ? s->tag : "");
        if (w->buf != NULL && w->pos + s->body_len <= w->cap && s->body_len > 0)
            memcpy(w->buf + w->pos, s->body, s->body_len);
        w->pos += s->body_len;
        return;
    }
    pqs_write_head(w, s->result, PQresultStatus(s->result), PQntuples(s->result),
                   s->clear_tag ? "" : PQcmdStatus(s->result));
    pqs_write_rows(w, s->result);
}

void pqs_chunks_stop(pqs_chunks *s)
{
    if (s != NULL) {
        drop_chunk(s);
        s->size = 0;
    }
}

int pqs_chunks_next(pqs_chunks *s, PGconn *conn, int *status)
{
    if (!pqs_chunks_has_output(s) && !s->ended && !pqs_chunks_pump(s, conn)) {
        /* called before the wait said ready: take what blocking libpq would */
        PGresult *r = PQgetResult(conn);
        if (r == NULL)
            s->ended = 1;
        else
            s->result = r;
    }
    if (!pqs_chunks_has_output(s)) {
        s->ended = 0; /* the size stays: libpq's single-row flag outlives the command too (see pqshim.c) */
        return 0;
    }
    *status = s->chunk_ready ? PQS_TUPLES_CHUNK : (int)PQresultStatus(s->result);
    pqs_writer count = {NULL, 0, 0};
    write_output(s, &count);
    return count.pos > INT32_MAX ? -1 : (int)count.pos;
}

int pqs_chunks_take(pqs_chunks *s, char *buf, int cap)
{
    pqs_writer w = {buf, (size_t)cap, 0};
    write_output(s, &w);
    if (w.pos > (size_t)cap)
        return -1;
    if (s->chunk_ready) {
        drop_chunk(s);
    } else {
        PQclear(s->result);
        s->result = NULL;
        s->clear_tag = 0;
    }
    return (int)w.pos;
}

void pqs_chunks_free(pqs_chunks *s)
{
    if (s == NULL)
        return;
    drop_chunk(s);
    free(s->body);
    PQclear(s->result);
    PQclear(s->held);
    free(s);
}
