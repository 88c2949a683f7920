package dev.federation.examples.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Repository;

/**
 * The backend, in memory: books {@code 1..1000} by authors {@code 1..100}. Each method is one backend call, counted,
 * so that a test can see how many calls the app made.
 */
@Repository
public class Catalog {

    private final AtomicLong calls = new AtomicLong();

    /** The books of {@code ids} in their order, {@code null} where there is none: one call. */
    public List<Book> books(List<String> ids) {
        calls.incrementAndGet();
        List<Book> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(book(number(id), id));
        }
        return out;
    }

    /** One book, or {@code null}: one call. */
    public Book book(String id) {
        calls.incrementAndGet();
        return book(number(id), id);
    }

    /** One author, or {@code null}: one call. */
    public Author author(String id) {
        calls.incrementAndGet();
        long n = number(id);
        return n >= 1 && n <= 100 ? new Author(id, "Author " + id) : null;
    }

    /** Backend calls so far. */
    public long calls() {
        return calls.get();
    }

    private static Book book(long n, String id) {
        return n >= 1 && n <= 1000 ? new Book(id, "Book " + id, String.valueOf(1 + (n - 1) % 100)) : null;
    }

    private static long number(String id) {
        if (id == null || id.isEmpty() || id.length() > 9 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(id);
    }
}
