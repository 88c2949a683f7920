package dev.federation.examples.mapping;

/** An author of the catalog. */
public record Author(String id, String name) {
}
