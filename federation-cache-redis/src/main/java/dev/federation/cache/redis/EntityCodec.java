package dev.federation.cache.redis;

/**
 * Turns the entities of one type into the bytes stored in Redis and back.
 *
 * <p>{@link #version()} is part of every entry's name in Redis: entries written by a codec of another version
 * are never read, so a deploy that changes the entity class never reads old bytes as new (it reloads them).
 * Change it whenever the bytes of the same entity change; {@link JacksonEntityCodec} derives it from the class.
 *
 * <p>Public SPI.
 *
 * @param <T> the entity class
 */
public interface EntityCodec<T> {

    /** The version of the bytes this codec writes, e.g. {@code "Product@3f9a12c0"}; no {@code '|'}. */
    String version();

    /** The bytes of {@code entity}. */
    byte[] encode(T entity) throws Exception;

    /** The entity of {@code bytes} written by {@link #encode} of the same version. */
    T decode(byte[] bytes) throws Exception;
}
