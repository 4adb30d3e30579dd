/**
 * libpq's connection options for the java backend: the keyword table of libpq 15, conninfo
 * strings in key=value and {@code postgresql://} URI form with libpq's parsing rules and error
 * texts, the {@code PG*} environment variables, service files, compiled defaults (including the
 * default Unix-socket directory), the per-host password file lookup, and the checks libpq makes
 * before its first connection attempt.
 */
package io.pqbridge.pq.wire.conninfo;
