/*
 * pqcopybench: the raw libpq client of the benchmarks (scripts/bench), the client-side ceiling
 * that pqbridge is compared with. It does each workload the shortest way libpq allows and
 * measures only the workload itself: connecting, reading the input file and the untimed
 * preparation statement (--before) happen before the clock starts.
 *
 * usage:
 *   pqcopybench [--before SQL] CONNINFO copy-in SQL FILE CHUNK_BYTES
 *       COPY FROM STDIN: FILE is read into memory first, then sent with PQputCopyData in chunks
 *       of CHUNK_BYTES (cut at byte offsets, not rows, as COPY allows).
 *   pqcopybench [--before SQL] CONNINFO copy-out SQL
 *       COPY TO STDOUT: PQgetCopyData in blocking mode until the end; the data is dropped.
 *   pqcopybench [--before SQL] CONNINFO select1 N
 *       N sequential round trips of PQexec("SELECT 1"), each result read and cleared.
 *   pqcopybench [--before SQL] CONNINFO prepared N
 *       PQprepare("SELECT $1::int") once, then N sequential round trips of PQexecPrepared, the
 *       parameter of round trip i being i % 1000 as text, each result read and cleared; the sum
 *       of the results is checked. The PQprepare is timed: one more round trip in N.
 *   pqcopybench [--before SQL] CONNINFO stream SQL CHUNK_ROWS
 *       A query's rows in results of CHUNK_ROWS rows: PQsendQuery, PQsetChunkedRowsMode (libpq 17;
 *       PQsetSingleRowMode, one row per result, when CHUNK_ROWS is 1 or the loaded libpq is older),
 *       then PQgetResult until the end, each row's values all touched (PQgetisnull, the first byte
 *       of PQgetvalue) and each result cleared; the row count is checked against the final
 *       result's command tag. The result line adds chunk_rows: the rows per result actually asked
 *       for. This program is built against the system's libpq (15 here); a newer one loaded in
 *       its place (LD_PRELOAD, as scripts/bench does with PQBRIDGE_LIBPQ) gives the chunked mode.
 *   pqcopybench [--before SQL] CONNINFO pipeline-insert SQL FILE N
 *       W9: the first N lines of FILE (the benchmark's text rows) are read and split first; then,
 *       timed, BEGIN, pipeline mode, PQsendPrepare(SQL) once and N PQsendQueryPrepared with the
 *       line's 1st, 2nd and 4th fields as text parameters (id, name, at), one PQpipelineSync,
 *       every result read as it arrives (non-blocking: the results are read while the statements
 *       are still being sent, so neither side waits on a full socket), then COMMIT. Each INSERT
 *       must report one row.
 *   pqcopybench [--before SQL] CONNINFO exec SQL
 *       One PQexec (the server-alone runs: COPY ... FROM/TO a server-side file).
 *   pqcopybench rusage PROGRAM [ARG...]
 *       Runs PROGRAM (psql) and reports its wall time and the CPU time of its rusage; its
 *       standard output is scanned for psql's "COPY n" line to report the row count.
 *
 * Output: one line on stdout,
 *   ok wall_ns=W cpu_ns=C rows=R bytes=B server_cpu_ns=S
 * where cpu_ns is this process's CPU time during the workload (CLOCK_PROCESS_CPUTIME_ID) and
 * server_cpu_ns the CPU time of the server process serving the connection (from
 * /proc/PID/schedstat, -1 when it cannot be read: the server is not on this machine). On failure a
 * message on stderr and exit status 1.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "pqcopybench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

/* CPU time of a local postgres process in ns (/proc/PID/schedstat), -1 if PID is not one here. */
static long long server_cpu_ns(int pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/comm", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    int is_postgres = fgets(buf, sizeof buf, f) != NULL && strncmp(buf, "postgres", 8) == 0;
    fclose(f);
    snprintf(path, sizeof path, "/proc/%d/schedstat", pid);
    if (!is_postgres || (f = fopen(path, "r")) == NULL) {
        return -1;
    }
    long long ns = -1;
    if (fscanf(f, "%lld", &ns) != 1) {
        ns = -1;
    }
    fclose(f);
    return ns;
}

/* The measurement of one workload: taken at start, completed at end. */
struct meter {
    long long wall, cpu, server;
    int server_pid;
};

static void meter_start(struct meter *m, PGconn *conn)
{
    m->server_pid = conn != NULL ? PQbackendPID(conn) : 0;
    m->server = m->server_pid > 0 ? server_cpu_ns(m->server_pid) : -1;
    m->cpu = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    m->wall = now_ns(CLOCK_MONOTONIC);
}

/* Prints the result line; extra (may be "") is appended to it as more key=value fields. */
static void meter_report_with(const struct meter *m, long long rows, long long bytes, const char *extra)
{
    long long wall = now_ns(CLOCK_MONOTONIC) - m->wall;
    long long cpu = now_ns(CLOCK_PROCESS_CPUTIME_ID) - m->cpu;
    long long server = -1;
    if (m->server >= 0) {
        long long after = server_cpu_ns(m->server_pid);
        server = after >= 0 ? after - m->server : -1;
    }
    printf("ok wall_ns=%lld cpu_ns=%lld rows=%lld bytes=%lld server_cpu_ns=%lld%s\n", wall, cpu, rows, bytes, server,
           extra);
}

static void meter_report(const struct meter *m, long long rows, long long bytes)
{
    meter_report_with(m, rows, bytes, "");
}

/* Reads all results of the command in progress; fails on an error; returns the last COPY/command row count. */
static long long finish_command(PGconn *conn, const char *what)
{
    long long rows = 0;
    PGresult *res;
    while ((res = PQgetResult(conn)) != NULL) {
        ExecStatusType st = PQresultStatus(res);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            fprintf(stderr, "pqcopybench: %s: %s", what, PQresultErrorMessage(res));
            exit(1);
        }
        const char *tuples = PQcmdTuples(res);
        if (tuples[0] != '\0') {
            rows = atoll(tuples);
        }
        PQclear(res);
    }
    return rows;
}

static void start_copy(PGconn *conn, const char *sql, ExecStatusType expected)
{
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != expected) {
        fprintf(stderr, "pqcopybench: %s: %s", sql, PQerrorMessage(conn));
        exit(1);
    }
    PQclear(res);
}

static char *read_file(const char *path, size_t *size)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        die("cannot read the input file", path);
    }
    char *data = malloc((size_t) st.st_size + 1);
    if (data == NULL) {
        die("out of memory for the input file", path);
    }
    size_t done = 0;
    while (done < (size_t) st.st_size) {
        ssize_t n = read(fd, data + done, (size_t) st.st_size - done);
        if (n <= 0) {
            die("cannot read the input file", path);
        }
        done += (size_t) n;
    }
    close(fd);
    *size = done;
    return data;
}

static void copy_in(PGconn *conn, const char *sql, const char *file, size_t chunk)
{
    size_t size;
    char *data = read_file(file, &size);
    struct meter m;
    meter_start(&m, conn);
    start_copy(conn, sql, PGRES_COPY_IN);
    for (size_t off = 0; off < size; off += chunk) {
        size_t n = size - off < chunk ? size - off : chunk;
        if (PQputCopyData(conn, data + off, (int) n) != 1) {
            die("PQputCopyData failed", PQerrorMessage(conn));
        }
    }
    if (PQputCopyEnd(conn, NULL) != 1) {
        die("PQputCopyEnd failed", PQerrorMessage(conn));
    }
    long long rows = finish_command(conn, sql);
    meter_report(&m, rows, (long long) size);
    free(data);
}

static void copy_out(PGconn *conn, const char *sql)
{
    struct meter m;
    meter_start(&m, conn);
    start_copy(conn, sql, PGRES_COPY_OUT);
    long long bytes = 0;
    char *buf;
    int n;
    while ((n = PQgetCopyData(conn, &buf, 0)) > 0) {
        bytes += n;
        PQfreemem(buf);
    }
    if (n != -1) {
        die("PQgetCopyData failed", PQerrorMessage(conn));
    }
    long long rows = finish_command(conn, sql);
    meter_report(&m, rows, bytes);
}

static void select1(PGconn *conn, long long count)
{
    struct meter m;
    meter_start(&m, conn);
    long long sum = 0;
    for (long long i = 0; i < count; i++) {
        PGresult *res = PQexec(conn, "SELECT 1");
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            die("SELECT 1 failed", PQerrorMessage(conn));
        }
        sum += atoi(PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    if (sum != count) {
        die("SELECT 1 returned something else than 1", NULL);
    }
    meter_report(&m, count, 0);
}

static void prepared(PGconn *conn, long long count)
{
    struct meter m;
    meter_start(&m, conn);
    PGresult *res = PQprepare(conn, "s", "SELECT $1::int", 1, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        die("PQprepare of SELECT $1::int failed", PQerrorMessage(conn));
    }
    PQclear(res);
    long long sum = 0, expected = 0;
    char param[16];
    const char *values[1] = {param};
    for (long long i = 0; i < count; i++) {
        int k = (int) (i % 1000);
        snprintf(param, sizeof param, "%d", k);
        expected += k;
        res = PQexecPrepared(conn, "s", 1, values, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            die("PQexecPrepared of SELECT $1::int failed", PQerrorMessage(conn));
        }
        sum += atoi(PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    if (sum != expected) {
        die("SELECT $1::int returned other values than its parameters", NULL);
    }
    meter_report(&m, count, 0);
}

/* The first count lines of data split at tabs in place: fields 0, 1 and 3 of each, row after row. */
static const char **insert_values(char *data, size_t size, long long count)
{
    const char **values = malloc(sizeof *values * 3 * (size_t) count);
    if (values == NULL) {
        die("out of memory for the parameters", NULL);
    }
    char *p = data, *end = data + size;
    for (long long row = 0; row < count; row++) {
        const char *fields[5];
        for (int f = 0; f < 5; f++) {
            if (p >= end) {
                die("the input file has fewer rows than asked for", NULL);
            }
            fields[f] = p;
            while (p < end && *p != '\t' && *p != '\n') {
                p++;
            }
            *p++ = '\0';
        }
        values[row * 3] = fields[0];
        values[row * 3 + 1] = fields[1];
        values[row * 3 + 2] = fields[3];
    }
    return values;
}

/* Reads every result that has arrived without blocking; returns the commands completed, -1 after the sync's result. */
static long long pipeline_results(PGconn *conn, int *have_result)
{
    long long completed = 0;
    while (!PQisBusy(conn)) {
        PGresult *res = PQgetResult(conn);
        if (res == NULL) {
            if (!*have_result) {
                break; /* nothing queued is answered yet */
            }
            *have_result = 0;
            completed++;
            continue;
        }
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            return -1;
        }
        if (st != PGRES_COMMAND_OK || (PQcmdTuples(res)[0] != '\0' && strcmp(PQcmdTuples(res), "1") != 0)) {
            fprintf(stderr, "pqcopybench: pipelined INSERT: %s %s", PQresStatus(st), PQresultErrorMessage(res));
            exit(1);
        }
        *have_result = 1;
        PQclear(res);
    }
    return completed;
}

static void pipeline_insert(PGconn *conn, const char *sql, const char *file, long long count)
{
    size_t size;
    char *data = read_file(file, &size);
    const char **values = insert_values(data, size, count);
    struct meter m;
    meter_start(&m, conn);
    PGresult *res = PQexec(conn, "BEGIN");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        die("BEGIN failed", PQerrorMessage(conn));
    }
    PQclear(res);
    if (PQsetnonblocking(conn, 1) != 0 || !PQenterPipelineMode(conn) || !PQsendPrepare(conn, "ins", sql, 3, NULL)) {
        die("cannot start the pipeline", PQerrorMessage(conn));
    }
    int have_result = 0, synced = 0;
    long long sent = 0;
    for (;;) {
        if (sent < count) {
            if (!PQsendQueryPrepared(conn, "ins", 3, values + sent * 3, NULL, NULL, 0)) {
                die("PQsendQueryPrepared failed", PQerrorMessage(conn));
            }
            sent++;
        } else if (!synced) {
            if (!PQpipelineSync(conn)) {
                die("PQpipelineSync failed", PQerrorMessage(conn));
            }
            synced = 1;
        }
        int pending = PQflush(conn);
        if (pending < 0) {
            die("PQflush failed", PQerrorMessage(conn));
        }
        if (pending == 1 || synced || sent % 256 == 0) {
            if (pending == 1 || synced) {
                /* wait for the socket: writable for the rest of the output, readable for results */
                fd_set rd, wr;
                FD_ZERO(&rd);
                FD_ZERO(&wr);
                FD_SET(PQsocket(conn), &rd);
                if (pending == 1) {
                    FD_SET(PQsocket(conn), &wr);
                }
                if (select(PQsocket(conn) + 1, &rd, &wr, NULL, NULL) < 0) {
                    die("select failed", strerror(errno));
                }
            }
            if (!PQconsumeInput(conn)) {
                die("PQconsumeInput failed", PQerrorMessage(conn));
            }
            if (pipeline_results(conn, &have_result) < 0) {
                break;
            }
        }
    }
    if (!PQexitPipelineMode(conn) || PQsetnonblocking(conn, 0) != 0) {
        die("cannot leave the pipeline", PQerrorMessage(conn));
    }
    res = PQexec(conn, "COMMIT");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        die("COMMIT failed", PQerrorMessage(conn));
    }
    PQclear(res);
    meter_report(&m, count, 0);
    free(values);
    free(data);
}

/*
 * libpq 17's chunked-rows mode and its result status (PGRES_TUPLES_CHUNK): declared here, weak,
 * because the libpq this is built against may be older; NULL at run time when the loaded one is.
 */
extern int PQsetChunkedRowsMode(PGconn *conn, int chunkSize);
#pragma weak PQsetChunkedRowsMode
#define TUPLES_CHUNK 12

/* Where stream_rows leaves the values it touched: a volatile store the compiler must keep. */
static volatile long long stream_sink;

static void stream_rows(PGconn *conn, const char *sql, int chunk_rows)
{
    struct meter m;
    meter_start(&m, conn);
    if (!PQsendQuery(conn, sql)) {
        die(sql, PQerrorMessage(conn));
    }
    if (chunk_rows > 1 && PQsetChunkedRowsMode != NULL) {
        if (!PQsetChunkedRowsMode(conn, chunk_rows)) {
            die("PQsetChunkedRowsMode failed", PQerrorMessage(conn));
        }
    } else {
        chunk_rows = 1;
        if (!PQsetSingleRowMode(conn)) {
            die("PQsetSingleRowMode failed", PQerrorMessage(conn));
        }
    }
    long long rows = 0, tagged = -1, sink = 0;
    PGresult *res;
    while ((res = PQgetResult(conn)) != NULL) {
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_SINGLE_TUPLE || (int) st == TUPLES_CHUNK) {
            int tuples = PQntuples(res), fields = PQnfields(res);
            for (int t = 0; t < tuples; t++) {
                for (int f = 0; f < fields; f++) {
                    sink += PQgetisnull(res, t, f) ? 0 : (unsigned char) PQgetvalue(res, t, f)[0];
                }
            }
            rows += tuples;
        } else if (st == PGRES_TUPLES_OK) {
            tagged = atoll(PQcmdTuples(res));
        } else {
            fprintf(stderr, "pqcopybench: %s: %s", sql, PQresultErrorMessage(res));
            exit(1);
        }
        PQclear(res);
    }
    stream_sink = sink;
    if (rows != tagged) {
        die("the streamed rows differ from the count in the statement's command tag", sql);
    }
    char extra[32];
    snprintf(extra, sizeof extra, " chunk_rows=%d", chunk_rows);
    meter_report_with(&m, rows, 0, extra);
}

static void exec_one(PGconn *conn, const char *sql)
{
    struct meter m;
    meter_start(&m, conn);
    if (!PQsendQuery(conn, sql)) {
        die(sql, PQerrorMessage(conn));
    }
    long long rows = finish_command(conn, sql);
    meter_report(&m, rows, 0);
}

/* Runs a program, reporting its wall time and rusage CPU time; rows from its "COPY n" output. */
static void rusage_of(char **argv)
{
    int out[2];
    if (pipe(out) != 0) {
        die("pipe failed", strerror(errno));
    }
    long long wall = now_ns(CLOCK_MONOTONIC);
    pid_t pid = fork();
    if (pid < 0) {
        die("fork failed", strerror(errno));
    }
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        execvp(argv[0], argv);
        fprintf(stderr, "pqcopybench: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(out[1]);
    FILE *child = fdopen(out[0], "r");
    char line[4096];
    long long rows = -1;
    while (fgets(line, sizeof line, child) != NULL) {
        if (strncmp(line, "COPY ", 5) == 0) {
            rows = atoll(line + 5);
        } else {
            fputs(line, stderr);
        }
    }
    fclose(child);
    int status;
    struct rusage ru;
    if (waitpid(pid, &status, 0) != pid) {
        die("waitpid failed", strerror(errno));
    }
    /* the only child this process ever had, so the children's total is its own */
    getrusage(RUSAGE_CHILDREN, &ru);
    wall = now_ns(CLOCK_MONOTONIC) - wall;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        die("the program failed", argv[0]);
    }
    long long cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL
            + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
    printf("ok wall_ns=%lld cpu_ns=%lld rows=%lld bytes=0 server_cpu_ns=-1\n", wall, cpu, rows);
}

/* A size argument between 1 and 2^30; dies with message otherwise. */
static int size_arg(const char *text, const char *message)
{
    long long v = atoll(text);
    if (v <= 0 || v > 1 << 30) {
        die(message, text);
    }
    return (int) v;
}

static void usage(void)
{
    fputs("usage: pqcopybench [--before SQL] CONNINFO copy-in SQL FILE CHUNK_BYTES\n"
          "       pqcopybench [--before SQL] CONNINFO copy-out SQL\n"
          "       pqcopybench [--before SQL] CONNINFO select1 N\n"
          "       pqcopybench [--before SQL] CONNINFO prepared N\n"
          "       pqcopybench [--before SQL] CONNINFO stream SQL CHUNK_ROWS\n"
          "       pqcopybench [--before SQL] CONNINFO pipeline-insert SQL FILE N\n"
          "       pqcopybench [--before SQL] CONNINFO exec SQL\n"
          "       pqcopybench rusage PROGRAM [ARG...]\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "rusage") == 0) {
        rusage_of(argv + 2);
        return 0;
    }
    int a = 1;
    const char *before = NULL;
    if (argc > 2 && strcmp(argv[1], "--before") == 0) {
        before = argv[2];
        a = 3;
    }
    if (argc - a < 3) {
        usage();
    }
    const char *conninfo = argv[a];
    const char *workload = argv[a + 1];
    PGconn *conn = PQconnectdb(conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        die("connection failed", PQerrorMessage(conn));
    }
    if (before != NULL) {
        PGresult *res = PQexec(conn, before);
        if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
            die(before, PQerrorMessage(conn));
        }
        PQclear(res);
    }
    if (strcmp(workload, "copy-in") == 0 && argc - a == 5) {
        copy_in(conn, argv[a + 2], argv[a + 3], (size_t) size_arg(argv[a + 4], "CHUNK_BYTES must be between 1 and 2^30"));
    } else if (strcmp(workload, "copy-out") == 0 && argc - a == 3) {
        copy_out(conn, argv[a + 2]);
    } else if (strcmp(workload, "select1") == 0 && argc - a == 3) {
        select1(conn, atoll(argv[a + 2]));
    } else if (strcmp(workload, "prepared") == 0 && argc - a == 3) {
        prepared(conn, atoll(argv[a + 2]));
    } else if (strcmp(workload, "stream") == 0 && argc - a == 4) {
        stream_rows(conn, argv[a + 2], size_arg(argv[a + 3], "CHUNK_ROWS must be between 1 and 2^30"));
    } else if (strcmp(workload, "pipeline-insert") == 0 && argc - a == 5) {
        pipeline_insert(conn, argv[a + 2], argv[a + 3], atoll(argv[a + 4]));
    } else if (strcmp(workload, "exec") == 0 && argc - a == 3) {
        exec_one(conn, argv[a + 2]);
    } else {
        usage();
    }
    PQfinish(conn);
    return 0;
}
