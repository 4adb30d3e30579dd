/*
 * Shared between the shim's own source files, never by its users (pqshim.h is
 * the public contract): the libpq connection behind a handle.
 */
#ifndef PQSHIM_CONN_H
#define PQSHIM_CONN_H

#include <libpq-fe.h>

#include "pqshim.h"

/*
 * The PGconn of a live handle; NULL for NULL, a finished or a foreign handle,
 * so the libpq call that follows answers as it answers a NULL PGconn.
 */
PGconn *pqs_pgconn(pqs_conn *c);

#endif
