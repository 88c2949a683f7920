package dev.federation.cache.redis;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * The default {@link EntityCodec}: JSON by Jackson, for records, POJOs and maps (an entity type with no Java
 * class). Its {@link #version()} is the class's simple name and a fingerprint of its shape (a record's components,
 * else its instance fields, with their generic types), so that changing the class changes the version.
 *
 * <pre>{@code
 * JacksonEntityCodec.of(Product.class)                       // version "Product@3f9a12c0"
 * JacksonEntityCodec.of(Product.class, mapper).withVersion("product-v2")
 * }</pre>
 *
 * <p>Thread-safe. Public API.
 *
 * @param <T> the entity class
 */
public final class JacksonEntityCodec<T> implements EntityCodec<T> {

    private static final ObjectMapper DEFAULT_MAPPER = JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Class<T> type;
    private final ObjectMapper mapper;
    private final String version;

    private JacksonEntityCodec(Class<T> type, ObjectMapper mapper, String version) {
        this.type = type;
        this.mapper = mapper;
        if (version.isEmpty() || version.indexOf('|') >= 0) {
            throw new IllegalArgumentException("codec version must be non-empty and hold no '|': " + version);
        }
        this.version = version;
    }

    /** A codec of {@code type} with a mapper that finds the modules on the class path. */
    public static <T> JacksonEntityCodec<T> of(Class<T> type) {
        return of(type, DEFAULT_MAPPER);
    }

    /** A codec of {@code type} with {@code mapper}. */
    public static <T> JacksonEntityCodec<T> of(Class<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return new JacksonEntityCodec<>(type, mapper, fingerprint(type));
    }

    /** A codec of maps: for an entity type with no Java class. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static JacksonEntityCodec<Map<String, Object>> ofMaps() {
        return new JacksonEntityCodec<>((Class) Map.class, DEFAULT_MAPPER, "map");
    }

    /** This codec with its version set by hand (instead of the class's fingerprint). */
    public JacksonEntityCodec<T> withVersion(String version) {
        return new JacksonEntityCodec<>(type, mapper, Objects.requireNonNull(version, "version"));
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public byte[] encode(T entity) throws Exception {
        return mapper.writeValueAsBytes(entity);
    }

    @Override
    public T decode(byte[] bytes) throws Exception {
        return mapper.readValue(bytes, type);
    }

    /** The class's simple name, {@code @}, and 8 hex digits of a SHA-256 of its components or fields. */
    static String fingerprint(Class<?> type) {
        StringBuilder shape = new StringBuilder(type.getName());
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                shape.append(';').append(c.getName()).append(':').append(c.getGenericType().getTypeName());
            }
        } else {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (!Modifier.isStatic(m) && !Modifier.isTransient(m)) {
                        shape.append(';').append(f.getName()).append(':').append(f.getGenericType().getTypeName());
                    }
                }
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(shape.toString().getBytes(StandardCharsets.UTF_8));
            return type.getSimpleName() + "@" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "JacksonEntityCodec[" + version + "]";
    }
}
