/**
 * The embedded database of each example subgraph: an in-memory H2 database behind a HikariCP pool, and a
 * JDBC proxy that counts the SQL statements the subgraph really executes ({@link
 * dev.federation.examples.db.SqlStatistics}), independently of the library under test.
 */
@NullMarked
package dev.federation.examples.db;

import org.jspecify.annotations.NullMarked;
