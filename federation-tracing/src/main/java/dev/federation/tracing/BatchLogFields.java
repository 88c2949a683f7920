package dev.federation.tracing;

/**
 * The structured log event written once per batch call: its logger and the keys of its SLF4J key-value
 * pairs (rendered as JSON fields by a structured encoder, or with {@code %kvp} in a logback pattern).
 *
 * <p>The event is at DEBUG normally, at WARN when the call failed or took longer than the slow-batch
 * threshold. {@value #REQUEST_ID} is also put in the MDC while the batch function runs, so the service's own
 * logs of that call carry it.
 *
 * <p>Public API.
 */
public final class BatchLogFields {

    /** Name of the logger the batch events go to. */
    public static final String LOGGER_NAME = "dev.federation.tracing.batch";

    /** Key of the event kind; always {@value #OPERATION_BATCH_LOAD}. */
    public static final String OPERATION = "operation";
    /** Value of {@value #OPERATION}. */
    public static final String OPERATION_BATCH_LOAD = "federation_batch_load";
    /** The request's id (from the GraphQL context or the caller's MDC); absent when unknown. */
    public static final String REQUEST_ID = "request_id";
    /** The entity type (for a service's own DataLoader, its name). */
    public static final String TYPENAME = "typename";
    /** The DataLoader name, e.g. {@code User(id)}. */
    public static final String LOADER = "loader";
    /** {@code batched} or {@code direct}. */
    public static final String MODE = "mode";
    /** How many keys went to the batch function. */
    public static final String BATCH_SIZE = "batch_size";
    /** How many requests the call served: 1, or more when cross-request batching merged them. */
    public static final String REQUESTS = "requests";
    /** How long its keys waited for the call, in milliseconds (cross-request batching; 0 when at once). */
    public static final String WAIT_MS = "wait_ms";
    /** How many keys got an entity. */
    public static final String ENTITY_COUNT = "entity_count";
    /** How many keys of the group the cross-request cache served instead of the backend. */
    public static final String CACHED_COUNT = "cached_count";
    /** How many keys got no entity. */
    public static final String MISSING_COUNT = "missing_count";
    /** How many keys got their own error. */
    public static final String KEY_ERROR_COUNT = "key_error_count";
    /** Time from the call to its result, in milliseconds (a decimal number, microsecond precision). */
    public static final String DURATION_MS = "duration_ms";
    /** Class name of what failed the whole call; present only when it failed. */
    public static final String ERROR = "error";
    /** Trace id of the batch span (32 hex digits); present only when the span is sampled or recording. */
    public static final String TRACE_ID = "trace_id";
    /** Span id of the batch span (16 hex digits); present only with {@value #TRACE_ID}. */
    public static final String SPAN_ID = "span_id";

    private BatchLogFields() {
    }
}
