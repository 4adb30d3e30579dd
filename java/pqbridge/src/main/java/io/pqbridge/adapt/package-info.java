/**
 * The adaptation layer: Java values to and from PostgreSQL's text and binary formats, by type OID,
 * as psycopg's adapters do it; queries with psycopg's placeholders; the COPY row formats.
 * Everything here works on bytes and the SPI's {@link io.pqbridge.pq.PgResult}; nothing talks to
 * a connection, so the facade decides when and how data moves.
 *
 * <h2>API for the facade</h2>
 * <ul>
 *   <li>{@link io.pqbridge.adapt.AdaptContext}: the session settings conversions depend on
 *       ({@code TimeZone}, {@code DateStyle}, {@code IntervalStyle},
 *       {@code standard_conforming_strings}); {@code AdaptContext.of(pgConn)} before each
 *       statement (cheap: returns the previous instance when nothing changed); a caller that keeps
 *       its last context can skip even that while {@code PgConn.parameterStatusGeneration()} is
 *       non-negative and unchanged and the context still {@code hasAdaptersOf} its map.</li>
 *   <li>{@link io.pqbridge.adapt.Queries}: {@code bind(sql, List|Map, ctx)} →
 *       {@link io.pqbridge.adapt.BoundQuery} ({@code sql()} with {@code $n},
 *       {@code paramTypes()}, {@code paramValues()}, {@code paramFormats()}: the arguments of
 *       {@code PgConn.sendQueryParams}; send with {@code sendQuery(sql())} when
 *       {@code parameterCount() == 0}); {@code merge(sql, List|Map, ctx)} → the SQL text with
 *       literals, for COPY statements (simple protocol); {@code literal(value, ctx)}. Null
 *       parameters leave the query untouched.</li>
 *   <li>{@link io.pqbridge.adapt.RowLoader}: {@code RowLoader.of(pgResult, ctx)} once per
 *       result, then {@code load(result, row, col)} / {@code loadRow(result, row)}.</li>
 *   <li>{@link io.pqbridge.adapt.CopyRowWriter}: {@code create(binary)}, {@code setTypes},
 *       {@code writeRow}, {@code isFull()} → send {@code array()[0..size())} and {@code clear()},
 *       {@code rawWritten()} after a raw {@code write}, {@code finish()} then send the rest;
 *       {@code clear()} alone discards pending rows (exception exit).</li>
 *   <li>{@link io.pqbridge.adapt.CopyRowReader}: {@code create(binary, ctx)}, {@code setTypes},
 *       {@code parseRow(message)} per CopyData message, null at the binary trailer.</li>
 *   <li>{@link io.pqbridge.adapt.PgTypes}: type names ↔ OIDs, arrays ↔ elements.</li>
 * </ul>
 *
 * <h2>Java types</h2>
 * <table>
 *   <caption>What a Java value is sent as when no type is pinned, and what each type loads as</caption>
 *   <tr><th>PostgreSQL</th><th>Java</th><th>notes</th></tr>
 *   <tr><td>NULL</td><td>null</td><td></td></tr>
 *   <tr><td>bool</td><td>Boolean</td><td></td></tr>
 *   <tr><td>int2 / int4 / int8</td><td>Short (and Byte) / Integer / Long</td><td>oid loads as Long</td></tr>
 *   <tr><td>float4 / float8</td><td>Float / Double</td><td>NaN, ±Infinity both ways</td></tr>
 *   <tr><td>numeric</td><td>BigDecimal (and BigInteger)</td><td>numeric NaN / ±Infinity load as the
 *       Double NaN / ±Infinity (BigDecimal has none); those Doubles dump to them</td></tr>
 *   <tr><td>text, varchar, bpchar, name, "char"</td><td>String (and Character)</td><td>an unpinned
 *       String parameter is sent as {@code unknown} so the server infers its type; NUL refused</td></tr>
 *   <tr><td>bytea</td><td>byte[]</td><td></td></tr>
 *   <tr><td>uuid</td><td>UUID</td><td></td></tr>
 *   <tr><td>date</td><td>LocalDate</td><td rowspan="4">{@code infinity}/{@code -infinity} ↔
 *       {@code MAX}/{@code MIN} of the Java type (also {@code Instant.MAX/MIN}); BC years ↔
 *       proleptic years ≤ 0; sub-microsecond nanoseconds are truncated</td></tr>
 *   <tr><td>timestamp</td><td>LocalDateTime</td></tr>
 *   <tr><td>timestamptz</td><td>OffsetDateTime (also Instant, ZonedDateTime)</td></tr>
 *   <tr><td>time / timetz</td><td>LocalTime / OffsetTime</td></tr>
 *   <tr><td>interval</td><td>Duration</td><td>loading: a month is 30 days, a year 365, as psycopg;
 *       dumping puts the whole Duration in the time field ({@code PT25H} is {@code 25:00:00})</td></tr>
 *   <tr><td>json / jsonb</td><td>{@link io.pqbridge.types.Json} / {@link io.pqbridge.types.Jsonb}</td><td>JSON
 *       kept as text, not parsed; a pinned json column also takes a String</td></tr>
 *   <tr><td>inet / cidr</td><td>InetAddress and {@link io.pqbridge.types.Inet} /
 *       {@link io.pqbridge.types.Cidr}</td><td>an inet with a full netmask loads as InetAddress,
 *       else as Inet</td></tr>
 *   <tr><td>the built-in ranges</td><td>{@link io.pqbridge.types.Range} of Integer, Long,
 *       BigDecimal, LocalDate, LocalDateTime, OffsetDateTime</td><td>a range without a bound goes
 *       as unknown text</td></tr>
 *   <tr><td>the built-in multiranges (PostgreSQL 14+)</td><td>{@link io.pqbridge.types.Multirange}
 *       of those ranges</td><td></td></tr>
 *   <tr><td>arrays of all the above</td><td>List, Java arrays (not byte[])</td><td>load as
 *       nested ArrayLists; NULL elements; up to 6 dimensions; element type from the non-null
 *       elements (Short/Integer/Long mixed widen; other mixes refused); no element: text[]</td></tr>
 *   <tr><td>any other type</td><td>String (text format) / byte[] (binary format)</td><td>unless
 *       a {@link io.pqbridge.types.Dumper} / {@link io.pqbridge.types.Loader} is registered in the
 *       session's {@link io.pqbridge.types.AdaptersMap} ({@link AdaptContext#adapters()}), which
 *       comes before every row of this table</td></tr>
 * </table>
 *
 * <p>Parameters go in psycopg's formats: text for String, BigDecimal, BigInteger, Json/Jsonb and
 * arrays; binary for the rest ({@code %t} / {@code %b} force one). Text dates and timestamps are
 * read in every DateStyle; text timestamptz only in the ISO DateStyle and text intervals only in
 * the postgres IntervalStyle (PostgreSQL's defaults; psycopg has the same limits), otherwise
 * {@link io.pqbridge.errors.NotSupportedException} names the setting; binary values in any session.
 * A value of the wrong Java type for a pinned type is a {@link io.pqbridge.errors.ProgrammingException},
 * a value the type cannot hold a {@link io.pqbridge.errors.DataException}. SQL text and values are UTF-8:
 * the session's {@code client_encoding} must be UTF8.
 */
package io.pqbridge.adapt;
