package dev.federation.benchmarks;

/** A `User` entity of the benchmark schema, as the in-memory {@link Backend} stores it. */
record User(String id, String name) {
}
