/**
 * libpq's protocol trace ({@code PQtrace}) for the java backend: {@code TraceFormat} turns one
 * whole message into the line libpq's fe-trace.c writes for it (no I/O), and
 * {@code ProtocolTrace} is the sink a connection's buffers call with each message they complete
 * or consume. Internal to the java backend; exported only to the test kit, whose replay reports
 * show messages the way a trace does.
 */
package io.pqbridge.pq.wire.trace;
