package dev.federation.benchmarks;

/** A `Product` entity of the benchmark schema, as the in-memory {@link Backend} stores it. */
record Product(String id, String name) {
}
