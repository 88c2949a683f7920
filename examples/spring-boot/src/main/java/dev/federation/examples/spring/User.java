package dev.federation.examples.spring;

/** A user row. */
public record User(long id, String name, String email) {

    /** The seeded name of user {@code id} ({@code data.sql}). */
    public static String nameOf(long id) {
        return "User " + id;
    }
}
