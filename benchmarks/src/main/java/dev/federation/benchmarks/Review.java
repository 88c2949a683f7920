package dev.federation.benchmarks;

/** A `Review` entity of the benchmark schema, as the in-memory {@link Backend} stores it. */
record Review(String id, String name) {
}
