/**
 * Connection pools with psycopg_pool's semantics: {@link io.pqbridge.pool.ConnectionPool}, which
 * keeps connections open between requests, and {@link io.pqbridge.pool.NullConnectionPool}, which
 * opens one per request, both configured through a {@link io.pqbridge.pool.PoolBuilder}.
 */
package io.pqbridge.pool;
