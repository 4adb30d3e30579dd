/*
 * What the shim's tests share (pqshim_test.c): the CHECK macro and its counts,
 * a view of a serialised result, and helpers that drive a connection through
 * the shim with bounded waits.
 */
#ifndef SHIM_CHECKS_H
#define SHIM_CHECKS_H

#include "pqshim.h"

#include <stddef.h>
#include <stdio.h>

/* PGRES_* and CONNECTION_* values the checks compare against (libpq-fe.h's enums). */
enum { COMMAND_OK = 1, TUPLES_OK = 2, COPY_OUT = 3, COPY_IN = 4, FATAL_ERROR = 7 };
enum { CONNECTION_OK = 0, CONNECTION_BAD = 1 };
enum { TX_IDLE = 0, TX_ACTIVE = 1, TX_INTRANS = 2, TX_INERROR = 3, TX_UNKNOWN = 4 };

#define SLICE_MS 100
/* No wait in these tests may take longer: a hang fails the check instead of the run. */
#define PATIENCE_SLICES 300

/* The checks made and those that failed, which main reports. */
extern int checks;
extern int failures;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        checks++;                                                                    \
        if (!(cond)) {                                                               \
            failures++;                                                              \
            fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__,     \
                    __func__, #cond);                                                \
        }                                                                            \
    } while (0)

/* What the checks look at in a result. */
typedef struct {
    int status;
    int ntuples;
    int nfields;
    int nparams;          /* a described statement's parameters */
    int first_paramtype;  /* the type of parameter 0; 0 when there is none */
    char cmd_status[64];
    char sqlstate[6];
    char first_value[64]; /* row 0, column 0, truncated; "" when absent or NULL */
    int first_value_len;  /* -1 for NULL, -2 when there is no such value */
} result_view;

/* The parts of the serialised result in buf that result_view holds. */
result_view view_of(const char *buf, size_t len);
/* Whether needle occurs in the len bytes at buf. */
int contains(const char *buf, size_t len, const char *needle);
/* Waits, at most PATIENCE_SLICES slices, until a result can be read; 0 on timeout. */
int wait_ready(pqs_conn *c);
/* The next result (waiting for it), or status -1 when there are no more. */
result_view next_result(pqs_conn *c);
/* Sends sql, returns its last result (or its COPY start) and checks the send. */
result_view run(pqs_conn *c, const char *sql);
/* The connection's error text, terminated, at most cap - 1 bytes; returns its full length. */
int error_text(pqs_conn *c, char *buf, size_t cap);
/* A connection, checked to be usable (the server's complaint printed when not). */
pqs_conn *connect_ok(const char *conninfo);
/* Reads COPY OUT data until its end; returns the number of messages (rows) or -1 on an error. */
long drain_copy_out(pqs_conn *c, char *buf, int cap, int *lengths, int max_msgs);

#endif
