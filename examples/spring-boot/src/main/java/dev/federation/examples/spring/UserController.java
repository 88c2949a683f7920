package dev.federation.examples.spring;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/**
 * {@code Query.user} and {@code User.reviews}. The reviews go through the app's own DataLoader
 * {@value #REVIEWS_BY_USER}, registered with Spring's {@link BatchLoaderRegistry}: the starter observes its
 * batches like the library's (meters, spans), with no code here.
 */
@Controller
public class UserController {

    /** The name of the app's own DataLoader. */
    public static final String REVIEWS_BY_USER = "reviewsByUser";

    private final UserRepository users;

    public UserController(UserRepository users, BatchLoaderRegistry registry) {
        this.users = users;
        registry.<Long, List<Review>>forName(REVIEWS_BY_USER)
                .registerMappedBatchLoader((ids, env) -> Mono.fromCallable(() -> users.reviewsByUsers(ids)));
    }

    @QueryMapping
    public User user(@Argument long id) {
        return users.findById(id);
    }

    @SchemaMapping
    public CompletableFuture<List<Review>> reviews(User user, DataLoader<Long, List<Review>> reviewsByUser) {
        return reviewsByUser.load(user.id());
    }
}
