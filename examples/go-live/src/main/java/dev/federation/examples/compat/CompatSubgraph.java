package dev.federation.examples.compat;

import com.apollographql.federation.graphqljava.Federation;
import com.apollographql.federation.graphqljava.tracing.FederatedTracingInstrumentation;
import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.InvalidKeyException;
import dev.federation.core.Representation;
import dev.federation.examples.subgraphs.ParsedDocuments;
import dev.federation.examples.subgraphs.QueryLimits;
import dev.federation.examples.subgraphs.Subgraph;
import graphql.execution.instrumentation.ChainedInstrumentation;
import dev.federation.examples.compat.CompatData.DeprecatedProduct;
import dev.federation.examples.compat.CompatData.Inventory;
import dev.federation.examples.compat.CompatData.Product;
import dev.federation.examples.compat.CompatData.ProductResearch;
import dev.federation.examples.compat.CompatData.SkuPackage;
import dev.federation.examples.compat.CompatData.SkuVariation;
import dev.federation.examples.compat.CompatData.User;
import dev.federation.examples.compat.CompatData.UserKey;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.dataloader.DataLoader;
import org.jspecify.annotations.Nullable;

/**
 * The {@code products} subgraph of Apollo's federation subgraph compatibility suite, served with this library:
 * the suite's schema ({@code compat/products.graphql} on the class path) and data set, every entity type
 * resolved in batches through {@link FederatedEntities}, and ftv1 traces through federation-jvm's
 * {@link FederatedTracingInstrumentation} when the request asks for them.
 *
 * <p>Entity keys: {@code Product} by {@code id}, {@code sku package} and {@code sku variation { id }};
 * {@code DeprecatedProduct} by {@code sku package}; {@code ProductResearch} by {@code study { caseNumber }};
 * {@code User} by {@code email}, its key carrying the {@code @requires} fields {@code totalProductsCreated} and
 * {@code yearsOfEmployment} of the representation; {@code Inventory} ({@code @interfaceObject}) by {@code id}.
 *
 * <p>An HTTP server hands each {@code POST /graphql} to {@link #execute(String, Map, String, Map)} and writes
 * {@link ExecutionResult#toSpecification()} as {@code application/json}:
 *
 * <pre>{@code
 * CompatSubgraph compat = CompatSubgraph.create(b -> b.observer(statistics));
 * ExecutionResult result = compat.execute(query, variables, operationName, lowercaseHeaders);
 * String json = objectMapper.writeValueAsString(result.toSpecification());
 * }</pre>
 *
 * <p>Thread-safe; build one and share it.
 */
public final class CompatSubgraph {

    /** Class-path location of the schema. */
    public static final String SCHEMA_RESOURCE = "/compat/products.graphql";

    /** The port the compatibility suite expects the {@code products} subgraph on. */
    public static final int DEFAULT_PORT = 4004;

    /** The request header that asks for an ftv1 trace (lower case, as HTTP/2 sends it). */
    public static final String TRACE_HEADER = FederatedTracingInstrumentation.FEDERATED_TRACING_HEADER_NAME;

    /** The value of {@link #TRACE_HEADER} that turns the trace on. */
    public static final String TRACE_HEADER_VALUE = FederatedTracingInstrumentation.FEDERATED_TRACING_HEADER_VALUE;

    private final String sdl;
    private final CompatData data;
    private final FederatedEntities entities;
    private final GraphQL graphQL;

    private CompatSubgraph(Consumer<FederatedEntities.Builder> customizer) {
        this.sdl = readSchema();
        this.data = new CompatData();
        FederatedEntities.Builder builder = FederatedEntities.builder()
                .entity(EntityType.named("Product")
                        .javaClass(Product.class)
                        .key("id", rep -> rep.key().getString("id"), EntityBatchLoader.mapped(data::productsById))
                        .key("sku package", CompatSubgraph::skuPackage,
                                EntityBatchLoader.mapped(data::productsBySkuPackage))
                        .key("sku variation { id }",
                                rep -> new SkuVariation(rep.key().getString("sku"),
                                        rep.key().getKey("variation").getString("id")),
                                EntityBatchLoader.mapped(data::productsBySkuVariation))
                        .build())
                .entity(EntityType.named("DeprecatedProduct")
                        .javaClass(DeprecatedProduct.class)
                        .key("sku package", CompatSubgraph::skuPackage,
                                EntityBatchLoader.mapped(data::deprecatedProducts))
                        .build())
                .entity(EntityType.named("ProductResearch")
                        .javaClass(ProductResearch.class)
                        .key("study { caseNumber }", rep -> rep.key().getKey("study").getString("caseNumber"),
                                EntityBatchLoader.mapped(data::research))
                        .build())
                .entity(EntityType.named("User")
                        .javaClass(User.class)
                        .key("email", CompatSubgraph::userKey, EntityBatchLoader.mapped(data::users))
                        .build())
                .entity(EntityType.named("Inventory")
                        .javaClass(Inventory.class)
                        .key("id", rep -> rep.key().getString("id"), EntityBatchLoader.mapped(data::inventories))
                        .build());
        customizer.accept(builder);
        this.entities = builder.build();

        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", t -> t
                        .dataFetcher("product", byLoader("Product", "id", env -> env.<String>getArgument("id")))
                        .dataFetcher("deprecatedProduct", byLoader("DeprecatedProduct", "sku package",
                                env -> new SkuPackage(env.getArgument("sku"), env.getArgument("package")))))
                .type("Product", t -> t.dataFetcher("package", env -> env.<Product>getSource().pkg()))
                .type("DeprecatedProduct", t -> t.dataFetcher("package",
                        env -> env.<DeprecatedProduct>getSource().pkg()))
                .build();
        GraphQLSchema schema = Federation.transform(CompatSchema.registry(sdl), wiring)
                .fetchEntities(entities.fetcher())
                .resolveEntityType(entities.typeResolver())
                .build();
        this.graphQL = Subgraph.newGraphQL(schema, new ParsedDocuments())
                .instrumentation(new ChainedInstrumentation(QueryLimits.instrumentation(),
                        new FederatedTracingInstrumentation()))
                .build();
    }

    /** The subgraph with the library's defaults (mode from {@code FEDERATION_ENABLED}, no observer). */
    public static CompatSubgraph create() {
        return new CompatSubgraph(b -> {
        });
    }

    /**
     * The subgraph, letting {@code customizer} add observers, a mode switch or options to the entities builder
     * before it is built (the entity types are already declared; adding one of the same name fails).
     *
     * @throws IllegalArgumentException when the customizer declares an entity type of this subgraph again
     */
    public static CompatSubgraph create(Consumer<FederatedEntities.Builder> customizer) {
        return new CompatSubgraph(Objects.requireNonNull(customizer, "customizer"));
    }

    /**
     * Executes one GraphQL request with a fresh per-request DataLoader registry. When {@code lowercaseHeaders}
     * holds {@value #TRACE_HEADER}{@code : }{@value #TRACE_HEADER_VALUE}, the result carries an ftv1 trace in
     * {@code extensions.ftv1} (base64 of the protobuf {@code Trace}); otherwise no extension is added.
     *
     * <p>Never throws for bad input: syntax, validation and resolution problems are errors of the result.
     *
     * @param query the GraphQL document
     * @param variables the variables, or {@code null} for none
     * @param operationName the operation to run, or {@code null} when the document holds one
     * @param lowercaseHeaders the HTTP request headers with lower-case names (other cases are tolerated)
     * @return the result, to be written as {@link ExecutionResult#toSpecification()}
     */
    public ExecutionResult execute(String query, @Nullable Map<String, Object> variables,
            @Nullable String operationName, Map<String, String> lowercaseHeaders) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(lowercaseHeaders, "lowercaseHeaders");
        String trace = header(lowercaseHeaders, TRACE_HEADER);
        ExecutionInput.Builder input = ExecutionInput.newExecutionInput(query)
                .variables(variables != null ? variables : Map.of())
                .operationName(operationName);
        if (trace != null) {
            // federation-jvm 6 reads the header from the GraphQL context under its own name
            input.graphQLContext(b -> b.of(TRACE_HEADER, trace.trim()));
        }
        return graphQL.execute(entities.withRegistry(input.build()));
    }

    /**
     * The GraphQL engine, with ftv1 instrumentation. Whoever executes on it directly must put a registry on each
     * input ({@code entities().withRegistry(input)}) and the trace header, if any, in the GraphQL context under
     * {@link #TRACE_HEADER}.
     */
    public GraphQL graphQL() {
        return graphQL;
    }

    /** The entity types of this subgraph, for statistics, the mode switch and per-request registries. */
    public FederatedEntities entities() {
        return entities;
    }

    /** The schema as served, the text of {@link #SCHEMA_RESOURCE}. */
    public String schemaSdl() {
        return sdl;
    }

    /** The in-memory data set and its batch-call counters (for tests). */
    CompatData data() {
        return data;
    }

    private static SkuPackage skuPackage(Representation rep) {
        return new SkuPackage(rep.key().getString("sku"), rep.key().getString("package"));
    }

    private static UserKey userKey(Representation rep) {
        return new UserKey(rep.key().getString("email"), optionalInt(rep, "totalProductsCreated"),
                optionalInt(rep, "yearsOfEmployment"));
    }

    /** An integer {@code @requires} field, {@code null} when absent; anything but an integer is rejected. */
    private static @Nullable Integer optionalInt(Representation rep, String field) {
        Object v = rep.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof Number) {
            try {
                return new BigDecimal(v.toString()).intValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                // not an integer, or out of Int's range: rejected below
            }
        }
        throw new InvalidKeyException("field '" + field + "' must be an Int");
    }

    private static @Nullable String header(Map<String, String> headers, String name) {
        String v = headers.get(name);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (name.equalsIgnoreCase(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A root field answered through the request's DataLoader of one entity key. */
    private static <K> DataFetcher<CompletableFuture<Object>> byLoader(String typename, String keyFields,
            Function<DataFetchingEnvironment, K> key) {
        String name = FederatedEntities.loaderName(typename, keyFields);
        return env -> {
            DataLoader<K, Object> loader = env.getDataLoader(name);
            if (loader == null) {
                throw new IllegalStateException("no DataLoader " + name
                        + " on this request: execute through entities().withRegistry(input)");
            }
            return loader.load(key.apply(env));
        };
    }

    private static String readSchema() {
        try (InputStream in = CompatSubgraph.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
