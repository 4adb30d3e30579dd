/*
 * The shim's serialised results: what pqs_take_result, the event queue and the
 * conninfo listings hand to Java.
 *
 * Serialised result layout (native byte order, int32 = 4 bytes, strings are an
 * int32 length, -1 for NULL, then the bytes without terminator):
 *   status, ntuples, nfields, binaryTuples,
 *   nparams, per parameter: type (a described statement's, PQparamtype),
 *   per field: type, table, tablecol, format, typmod, size, name(str),
 *   cmdStatus(str), errorMessage(str),
 *   nErrorFields, per field: code, value(str),
 *   per row, per column: length (-1 = NULL), bytes.
 * The Java decoder is io.pqbridge.pq.natives.ResultDecoder.
 */
#include "pqshim_conn.h"

#include <libpq-fe.h>
#include <stdint.h>
#include <string.h>

/* Error fields libpq exposes through PQresultErrorField, in the server's order. */
static const char ERROR_FIELDS[] = "SVCMDHPpqWstcdnFLR";

void pqs_put_bytes(pqs_writer *w, const void *p, size_t n)
{
    if (w->buf != NULL && w->pos + n <= w->cap && n > 0)
        memcpy(w->buf + w->pos, p, n);
    w->pos += n;
}

void pqs_put_i32(pqs_writer *w, int32_t v)
{
    pqs_put_bytes(w, &v, sizeof v);
}

void pqs_put_str(pqs_writer *w, const char *s)
{
    if (s == NULL) {
        pqs_put_i32(w, -1);
        return;
    }
    size_t n = strlen(s);
    pqs_put_i32(w, (int32_t)n);
    pqs_put_bytes(w, s, n);
}

void pqs_write_head(pqs_writer *w, const PGresult *r, int status, int ntuples, const char *cmd_status)
{
    int nf = PQnfields(r);
    pqs_put_i32(w, (int32_t)status);
    pqs_put_i32(w, ntuples);
    pqs_put_i32(w, nf);
    pqs_put_i32(w, PQbinaryTuples(r));
    int np = PQnparams(r);
    pqs_put_i32(w, np);
    for (int i = 0; i < np; i++)
        pqs_put_i32(w, (int32_t)PQparamtype(r, i));
    for (int i = 0; i < nf; i++) {
        pqs_put_i32(w, (int32_t)PQftype(r, i));
        pqs_put_i32(w, (int32_t)PQftable(r, i));
        pqs_put_i32(w, PQftablecol(r, i));
        pqs_put_i32(w, PQfformat(r, i));
        pqs_put_i32(w, PQfmod(r, i));
        pqs_put_i32(w, PQfsize(r, i));
        pqs_put_str(w, PQfname(r, i));
    }
    pqs_put_str(w, cmd_status);
    pqs_put_str(w, PQresultErrorMessage(r));
    /*
     * libpq stores error fields only in the results it makes of an ErrorResponse or a notice
     * (pqGetErrorNotice3, pqInternalNotice), whose status is one of these two: other results
     * skip the 18 lookups, most of the cost of serialising a small result.
     */
    ExecStatusType kind = PQresultStatus(r);
    int may_have_fields = kind == PGRES_FATAL_ERROR || kind == PGRES_NONFATAL_ERROR;
    int nerr = 0;
    for (const char *f = ERROR_FIELDS; may_have_fields && *f; f++)
        if (PQresultErrorField(r, *f) != NULL)
            nerr++;
    pqs_put_i32(w, nerr);
    for (const char *f = ERROR_FIELDS; nerr > 0 && *f; f++) {
        const char *v = PQresultErrorField(r, *f);
        if (v != NULL) {
            pqs_put_i32(w, *f);
            pqs_put_str(w, v);
        }
    }
}

/*
 * The size of r's rows in the layout: a length word per value, then its bytes.
 * PQgetlength answers 0 for a NULL, which the layout gives no bytes either, so
 * the lengths alone say it.
 */
static size_t rows_size(const PGresult *r)
{
    int nt = PQntuples(r);
    int nf = PQnfields(r);
    size_t size = (size_t)nt * (size_t)nf * sizeof(int32_t);
    for (int row = 0; row < nt; row++)
        for (int col = 0; col < nf; col++)
            size += (size_t)PQgetlength(r, row, col);
    return size;
}

/*
 * Every libpq accessor call checks the row and column numbers again, and a
 * result is measured before it is written: these loops are most of the shim's
 * time on a large result. So the measuring pass asks for lengths only, and the
 * writing pass asks whether a value is NULL only when its length is 0. A value
 * that does not fit whole is counted, not written: the caller sees pos > cap.
 */
void pqs_write_rows(pqs_writer *w, const PGresult *r)
{
    if (w->buf == NULL) {
        w->pos += rows_size(r);
        return;
    }
    int nt = PQntuples(r);
    int nf = PQnfields(r);
    for (int row = 0; row < nt; row++) {
        for (int col = 0; col < nf; col++) {
            int len = PQgetlength(r, row, col);
            int32_t word = len == 0 && PQgetisnull(r, row, col) ? -1 : len;
            size_t n = sizeof word + (size_t)len;
            if (w->pos + n <= w->cap) {
                memcpy(w->buf + w->pos, &word, sizeof word);
                if (len > 0)
                    memcpy(w->buf + w->pos + sizeof word, PQgetvalue(r, row, col), (size_t)len);
            }
            w->pos += n;
        }
    }
}

void pqs_write_result(pqs_writer *w, const PGresult *r)
{
    pqs_write_head(w, r, PQresultStatus(r), PQntuples(r), PQcmdStatus((PGresult *)r));
    pqs_write_rows(w, r);
}

size_t pqs_result_size(const PGresult *r)
{
    pqs_writer w = {NULL, 0, 0};
    pqs_write_result(&w, r);
    return w.pos;
}
