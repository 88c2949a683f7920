package dev.federation.examples.mapping;

import java.util.List;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * Spring for GraphQL's own entity methods, unchanged by the starter. Spring calls {@link #book} once with every
 * {@code Book} representation of an {@code _entities} call (it returns a {@code List}), and {@link #author} once per
 * {@code Author} representation. The starter sees the first as one batch and the second as one-key calls.
 */
@Controller
public class BookEntities {

    private final Catalog catalog;

    public BookEntities(Catalog catalog) {
        this.catalog = catalog;
    }

    // tag::entity-mapping[]
    /** Every {@code Book} of one {@code _entities} call, in one backend call. */
    @EntityMapping
    public List<Book> book(@Argument List<String> idList) {
        return catalog.books(idList);
    }

    /** One {@code Author}: one backend call each. */
    @EntityMapping
    public Author author(@Argument String id) {
        return catalog.author(id);
    }
    // end::entity-mapping[]

    /** {@code Query.book}. */
    @QueryMapping("book")
    public Book bookById(@Argument String id) {
        return catalog.book(id);
    }

    /** {@code Book.author}. */
    @SchemaMapping(typeName = "Book", field = "author")
    public Author authorOf(Book book) {
        return catalog.author(book.authorId());
    }
}
