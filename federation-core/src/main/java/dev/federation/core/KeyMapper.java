package dev.federation.core;

/**
 * Turns a validated representation into the key its batch function takes: a {@code String} id, a
 * {@code Long}, a record of several fields, or the {@link EntityKey} itself ({@link #entityKey()}).
 *
 * <pre>{@code
 * KeyMapper<Long> byId = rep -> rep.getLong("id");
 * KeyMapper<SkuPackage> bySkuPackage = rep -> new SkuPackage(rep.getString("sku"), rep.getString("package"));
 * }</pre>
 *
 * <p>Keys must have a proper {@code equals} and {@code hashCode}: they de-duplicate a batch and key the
 * caches. A mapper that throws rejects only its own representation, with a clear GraphQL error at its
 * index. A key may carry {@code @requires} fields too, so that two representations that differ in them are
 * resolved apart.
 *
 * <p>Public SPI.
 *
 * @param <K> the key type
 */
@FunctionalInterface
public interface KeyMapper<K> {

    /** The key of {@code representation}; must not return {@code null}. */
    K toKey(Representation representation);

    /** The mapper that gives the representation's {@link EntityKey}. */
    static KeyMapper<EntityKey> entityKey() {
        return Representation::key;
    }
}
