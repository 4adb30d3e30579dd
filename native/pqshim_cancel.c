/*
 * pqshim's cancel handles (pqs_cancel_*, see pqshim.h): a PGcancel taken from a
 * connection, checked by its own magic number, and freed exactly once by
 * pqs_cancel_free. Independent of the connection once made, so another thread
 * may send with it while the connection is in use.
 */
#define _POSIX_C_SOURCE 200809L

#include "pqshim.h"
#include "pqshim_conn.h"

#include <libpq-fe.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PQS_CANCEL_MAGIC 0x70716361u /* "pqca" */
#define PQS_CANCEL_DEAD 0u

struct pqs_cancel {
    uint32_t magic;
    PGcancel *cancel;
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

void pqs_cancel_free(pqs_cancel *k)
{
    if (k == NULL || k->magic != PQS_CANCEL_MAGIC)
        return;
    k->magic = PQS_CANCEL_DEAD;
    PQfreeCancel(k->cancel);
    k->cancel = NULL;
    free(k);
}
