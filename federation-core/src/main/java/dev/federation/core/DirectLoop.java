package dev.federation.core;

import graphql.GraphQLContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.ObjIntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The DIRECT mode's load step: one backend call per key, one after the other, within one deadline for the
 * whole {@code _entities} field or DataLoader batch. Used by the fetcher and by the registry's entity
 * DataLoaders alike.
 */
final class DirectLoop {

    private DirectLoop() {
    }

    /**
     * DIRECT mode for a whole {@code _entities} field or DataLoader batch: one backend call per key, one after
     * the other, as the one-by-one path does. Key {@code i} is loaded by {@code resolvers[ordinals[i]]} (by
     * {@code resolvers[0]} when {@code ordinals} is null, and skipped when its ordinal is negative) and its
     * answer (entity, {@code null} or {@link KeyFailure}) goes to {@code answer.accept(value, i)}; {@code keys}
     * may be the array the answers are written to, as each key is read before its answer is given. Once
     * {@code deadline} has passed, the keys left fail without a call.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static CompletableFuture<Void> oneByOne(KeyResolver<?>[] resolvers, int @Nullable [] ordinals, Object[] keys,
            int from, @Nullable GraphQLContext context, long deadline, ObjIntConsumer<@Nullable Object> answer) {
        for (int i = from; i < keys.length; i++) {
            int o = ordinals == null ? 0 : ordinals[i];
            if (o < 0) {
                continue;
            }
            KeyResolver r = resolvers[o];
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                answer.accept(r.calls.directDeadlinePassed(), i);
                continue;
            }
            CompletableFuture<Object> f = r.calls.direct(keys[i], context, deadline);
            if (f.isDone()) {
                answer.accept(f.join(), i);
            } else {
                int at = i;
                return f.thenCompose(v -> {
                    answer.accept(v, at);
                    return oneByOne(resolvers, ordinals, keys, at + 1, context, deadline, answer);
                });
            }
        }
        return BackendCall.DONE;
    }

    /** The {@link System#nanoTime()} deadline {@code timeout} from now; {@link Long#MAX_VALUE} when it overflows. */
    static long deadlineAfter(Duration timeout) {
        long now = System.nanoTime();
        long t = timeout.toNanos();
        return now + t < now ? Long.MAX_VALUE : now + t;
    }
}
