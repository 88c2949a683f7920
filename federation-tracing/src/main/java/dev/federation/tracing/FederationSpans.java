package dev.federation.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The names of the spans federation-tracing makes and the keys of their attributes.
 *
 * <p>Span names come from a small, bounded set: {@value #ENTITIES_SPAN_NAME}, and
 * {@value #BATCH_SPAN_NAME_PREFIX} followed by a DataLoader name (an entity key such as {@code User(id)},
 * taken from the schema, or the name a DataLoader was registered under). They never hold user input.
 *
 * <p>Public API.
 */
public final class FederationSpans {

    /** Name of the span of one {@code _entities} field. */
    public static final String ENTITIES_SPAN_NAME = "GraphQL _entities";

    /** Start of the name of a batch span; the DataLoader name follows: {@code GraphQL DataLoader Batch User(id)}. */
    public static final String BATCH_SPAN_NAME_PREFIX = "GraphQL DataLoader Batch ";

    /** {@code _entities} span: how many representations the call holds. */
    public static final AttributeKey<Long> REPRESENTATION_COUNT =
            AttributeKey.longKey("federation.representation.count");

    /** {@code _entities} span: how many representations resolved to an entity. */
    public static final AttributeKey<Long> ENTITY_COUNT = AttributeKey.longKey("federation.entity.count");

    /** {@code _entities} span: how many representations resolved to {@code null} (no such entity). */
    public static final AttributeKey<Long> MISSING_COUNT = AttributeKey.longKey("federation.entity.missing_count");

    /** {@code _entities} span: how many representations got an error (rejected input, failed batch or key). */
    public static final AttributeKey<Long> ERROR_COUNT = AttributeKey.longKey("federation.entity.error_count");

    /** {@code _entities} span: {@code success}, {@code partial} or {@code error}. */
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("federation.outcome");

    /** Both spans: {@code batched} or {@code direct} (the kill switch's mode when the call started). */
    public static final AttributeKey<String> MODE = AttributeKey.stringKey("federation.mode");

    /** Batch span: the DataLoader name, e.g. {@code User(id)}. */
    public static final AttributeKey<String> DATALOADER_NAME = AttributeKey.stringKey("graphql.dataloader.name");

    /** Batch span: how many keys went to the batch function. */
    public static final AttributeKey<Long> DATALOADER_BATCH_SIZE =
            AttributeKey.longKey("graphql.dataloader.batch.size");

    /** Batch span: how many keys of the group the cross-request cache served instead. */
    public static final AttributeKey<Long> DATALOADER_CACHE_HIT_COUNT =
            AttributeKey.longKey("graphql.dataloader.cache.hit_count");

    /** Batch span: how many requests the call serves (above 1 when cross-request batching merged them). */
    public static final AttributeKey<Long> BATCH_REQUESTS = AttributeKey.longKey("federation.batch.requests");

    /** Batch span: how long its keys waited for the call, in nanoseconds (cross-request batching). */
    public static final AttributeKey<Long> BATCH_WAIT_NANOS = AttributeKey.longKey("federation.batch.wait_ns");

    /** Batch span: the entity type (for a service's own DataLoader, its name). */
    public static final AttributeKey<String> TYPENAME = AttributeKey.stringKey("federation.typename");

    /** Batch span: the key shape, e.g. {@code sku variation { id }}; absent for a service's own DataLoader. */
    public static final AttributeKey<String> KEY_SHAPE = AttributeKey.stringKey("federation.key_shape");

    /** Batch span: how many keys got an entity. */
    public static final AttributeKey<Long> BATCH_ENTITY_COUNT = AttributeKey.longKey("federation.batch.entity_count");

    /** Batch span: how many keys got no entity. */
    public static final AttributeKey<Long> BATCH_MISSING_COUNT =
            AttributeKey.longKey("federation.batch.missing_count");

    /** Batch span: how many keys got their own error (a failed {@code Try}) while the call succeeded. */
    public static final AttributeKey<Long> BATCH_KEY_ERROR_COUNT =
            AttributeKey.longKey("federation.batch.key_error_count");

    /** Batch span of a failed call: the exception's class name (also recorded as an {@code exception} event). */
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private FederationSpans() {
    }

    /** The name of the batch span of the DataLoader {@code loaderName}. */
    public static String batchSpanName(String loaderName) {
        return BATCH_SPAN_NAME_PREFIX + loaderName;
    }
}
