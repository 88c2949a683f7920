package dev.federation.examples.demo;

import dev.federation.core.FederationMode;

/**
 * What the demo measured in one mode.
 *
 * @param mode the mode of the phase
 * @param requests HTTP requests sent
 * @param errors requests that failed (HTTP status, GraphQL errors, or wrong data)
 * @param p50Nanos median response time, measured by the client
 * @param p99Nanos 99th percentile response time, measured by the client
 * @param sqlStatements SQL statements executed by the three databases (counted at the JDBC layer)
 * @param userEntitiesCalls {@code _entities} calls the users subgraph received
 * @param userEntitiesSql SQL statements the users subgraph executed for them
 * @param entityLoads entity loads of every subgraph's entity types
 * @param backendCalls backend calls (batch and one-by-one) of those entity types
 * @param batchCalls batch calls ({@code BATCHED} mode) of those entity types
 * @param batchedKeys keys sent in those batch calls
 * @param p99ResolutionNanos 99th percentile of one entity backend call (a batch, or a one-by-one call)
 * @param heapUsedBytes heap used after the phase, after a GC
 */
public record PhaseResult(FederationMode mode, long requests, long errors, long p50Nanos, long p99Nanos,
        long sqlStatements, long userEntitiesCalls, long userEntitiesSql, long entityLoads, long backendCalls,
        long batchCalls, long batchedKeys, long p99ResolutionNanos, long heapUsedBytes) {

    /** SQL statements per HTTP request. */
    public double sqlPerRequest() {
        return requests == 0 ? 0 : (double) sqlStatements / requests;
    }

    /** SQL statements per {@code _entities} call of the users subgraph. */
    public double sqlPerUserEntitiesCall() {
        return userEntitiesCalls == 0 ? 0 : (double) userEntitiesSql / userEntitiesCalls;
    }

    /** {@code 1 - backendCalls / entityLoads}, or 0 without a load. */
    public double batchEffectiveness() {
        return entityLoads == 0 ? 0 : 1.0 - (double) backendCalls / entityLoads;
    }

    /** Keys per batch call, or 1 when every call was one by one. */
    public double averageBatchSize() {
        return batchCalls == 0 ? (backendCalls == 0 ? 0 : 1) : (double) batchedKeys / batchCalls;
    }

    /** Failed requests over requests. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }
}
