package dev.federation.examples.spring;

/** A review row. */
public record Review(long id, long userId, String body, int stars) {
}
