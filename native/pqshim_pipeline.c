/*
 * pqshim's pipeline mode (pqs_enter_pipeline_mode and its kin, see pqshim.h):
 * libpq's calls as they are, and the start of a blocking call, which libpq
 * refuses in pipeline mode.
 */
#include "pqshim.h"
#include "pqshim_conn.h"

#include <libpq-fe.h>

int pqs_enter_pipeline_mode(pqs_conn *c)
{
    return PQenterPipelineMode(pqs_pgconn(c));
}

int pqs_exit_pipeline_mode(pqs_conn *c)
{
    return PQexitPipelineMode(pqs_pgconn(c));
}

int pqs_pipeline_sync(pqs_conn *c)
{
    return PQpipelineSync(pqs_pgconn(c));
}

int pqs_send_flush_request(pqs_conn *c)
{
    return PQsendFlushRequest(pqs_pgconn(c));
}

int pqs_pipeline_status(pqs_conn *c)
{
    return (int)PQpipelineStatus(pqs_pgconn(c));
}

int pqs_exec_start(pqs_conn *c)
{
    PGconn *conn = pqs_pgconn(c);
    if (conn == NULL)
        return 0;
    if (PQpipelineStatus(conn) == PQ_PIPELINE_OFF)
        return 1;
    /* PQexecStart is not exported: any blocking call makes it refuse with its own text, sending nothing */
    PGresult *refused = PQdescribePortal(conn, "");
    PQclear(refused);
    return 0;
}
