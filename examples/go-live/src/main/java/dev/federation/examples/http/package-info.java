/**
 * A small HTTP front for a subgraph on the JDK's {@code com.sun.net.httpserver}: {@code POST /graphql}
 * (JSON in and out), read-only {@code GET} routes (metrics, health, debug statistics) and the token-guarded
 * admin mode switch. Any {@link dev.federation.examples.http.GraphQlEndpoint} can be served this way.
 */
@NullMarked
package dev.federation.examples.http;

import org.jspecify.annotations.NullMarked;
