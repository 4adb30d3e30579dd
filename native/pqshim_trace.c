/*
 * pqshim's trace (pqs_trace_pipe, pqs_untrace, pqs_close_fd; see pqshim.h):
 * libpq's own PQtrace, writing into a pipe whose read end the Java side
 * drains into the caller's stream. libpq wants a FILE; a pipe lets the lines go
 * wherever the caller says without the shim calling back into the JVM.
 *
 * Ownership: the write end's FILE belongs to the handle (struct pqs_conn's
 * trace) from pqs_trace_pipe until pqs_untrace, a later pqs_trace_pipe or
 * pqs_finish closes it, always after libpq has let go of it (PQuntrace, or
 * PQfinish, which still traces the Terminate it sends). The read end belongs
 * to the caller.
 *
 * The FILE is line-buffered, so each message's line reaches the reader as
 * libpq finishes it. A reader that stops reading makes libpq's writes wait
 * once the pipe is full: the Java side drains until end of file, whatever
 * happens to the stream it copies into.
 */
#define _POSIX_C_SOURCE 200809L

#include "pqshim.h"
#include "pqshim_conn.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <unistd.h>

void pqs_trace_close(pqs_conn *c)
{
    if (c->trace != NULL) {
        fclose(c->trace);
        c->trace = NULL;
    }
}

void pqs_untrace(pqs_conn *c)
{
    PGconn *conn = pqs_pgconn(c);
    if (conn == NULL)
        return;
    PQuntrace(conn);
    pqs_trace_close(c);
}

int pqs_trace_pipe(pqs_conn *c, int flags)
{
    PGconn *conn = pqs_pgconn(c);
    if (conn == NULL) {
        errno = EINVAL;
        return -1;
    }
    pqs_untrace(c);
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    /* not inherited by a program the JVM starts, which would hold the pipe open */
    FILE *f = NULL;
    if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0 && fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0)
        f = fdopen(fds[1], "w");
    if (f == NULL || setvbuf(f, NULL, _IOLBF, 0) != 0) {
        int saved = errno;
        if (f != NULL)
            fclose(f);
        else
            close(fds[1]);
        close(fds[0]);
        errno = saved;
        return -1;
    }
    c->trace = f;
    PQtrace(conn, f);
    PQsetTraceFlags(conn, flags);
    return fds[0];
}

void pqs_close_fd(int fd)
{
    close(fd);
}
