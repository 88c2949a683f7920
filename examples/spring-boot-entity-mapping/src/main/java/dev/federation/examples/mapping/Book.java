package dev.federation.examples.mapping;

/** A book of the catalog. */
public record Book(String id, String title, String authorId) {
}
