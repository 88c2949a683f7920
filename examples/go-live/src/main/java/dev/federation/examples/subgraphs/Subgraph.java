package dev.federation.examples.subgraphs;

import com.apollographql.federation.graphqljava.Federation;
import com.github.benmanes.caffeine.cache.Cache;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationStatistics;
import dev.federation.health.FederationViews;
import dev.federation.examples.db.Database;
import dev.federation.examples.db.SqlStatistics;
import dev.federation.examples.http.GraphQlEndpoint;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One running example subgraph: its database, its federation-jvm schema whose {@code _entities} are
 * resolved by {@link FederatedEntities}, and the statistics its debug endpoints serve.
 *
 * <p>{@link #execute} runs one request the way a real service does: a fresh {@code ExecutionInput} with the
 * request id in its GraphQL context, and a fresh DataLoader registry from
 * {@link FederatedEntities#withRegistry(ExecutionInput)}.
 *
 * <p>Thread-safe. {@link #close()} drops the database.
 */
public final class Subgraph implements GraphQlEndpoint, AutoCloseable {

    /** The GraphQL context key holding the request id. */
    public static final String REQUEST_ID = "request_id";

    private final String name;
    private final String sdl;
    private final Database database;
    private final FederatedEntities entities;
    private final FederationStatistics statistics;
    private final EntitiesCallStatistics entitiesCalls;
    private final Set<String> ownLoaders;
    private final ParsedDocuments documents;
    private final GraphQL graphQL;

    Subgraph(String name, String sdl, Database database, FederatedEntities entities, FederationStatistics statistics,
            EntitiesCallStatistics entitiesCalls, Set<String> ownLoaders, RuntimeWiring wiring) {
        this.name = name;
        this.sdl = sdl;
        this.database = database;
        this.entities = entities;
        this.statistics = statistics;
        this.entitiesCalls = entitiesCalls;
        this.ownLoaders = Set.copyOf(ownLoaders);
        GraphQLSchema schema = Federation.transform(sdl, wiring)
                .fetchEntities(entities.fetcher())
                .resolveEntityType(entities.typeResolver())
                .build();
        this.documents = new ParsedDocuments();
        this.graphQL = newGraphQL(schema, documents).build();
    }

    /**
     * A {@code GraphQL} builder for {@code schema} set up as every example subgraph is: the {@link QueryLimits}
     * (depth, complexity, time), the {@link ParsedDocuments} cache, and {@link SafeErrors} so that no answer
     * shows an exception's class or message.
     */
    public static GraphQL.Builder newGraphQL(GraphQLSchema schema, ParsedDocuments documents) {
        return GraphQL.newGraphQL(schema)
                .instrumentation(QueryLimits.instrumentation())
                .preparsedDocumentProvider(documents)
                .defaultDataFetcherExceptionHandler(new SafeErrors());
    }

    /** The cache of parsed and validated queries. */
    public ParsedDocuments documents() {
        return documents;
    }

    /** A builder of {@link FederatedEntities} with the configuration's switch, options and observers. */
    static FederatedEntities.Builder entitiesBuilder(SubgraphConfig config, FederationStatistics statistics,
            EntitiesCallStatistics calls) {
        FederatedEntities.Builder b = FederatedEntities.builder()
                .modeSwitch(config.modeSwitch())
                .options(config.options())
                .observer(statistics)
                .observer(calls);
        config.observers().forEach(b::observer);
        if (config.cacheProvider() != null) {
            b.cacheProvider(config.cacheProvider());
        }
        return b;
    }

    static String schema(String resource) {
        try (InputStream in = Subgraph.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    @Override
    public ExecutionResult execute(String query, Map<String, Object> variables, @Nullable String operationName,
            Map<String, String> lowercaseHeaders) {
        String requestId = lowercaseHeaders.get("x-request-id");
        ExecutionInput.Builder b = ExecutionInput.newExecutionInput(query).variables(variables);
        if (operationName != null) {
            b.operationName(operationName);
        }
        if (requestId != null) {
            b.graphQLContext(c -> c.of(REQUEST_ID, requestId));
        }
        return graphQL.execute(entities.withRegistry(b.build()));
    }

    /** Executes a request without headers. */
    public ExecutionResult execute(String query, Map<String, Object> variables) {
        return execute(query, variables, null, Map.of());
    }

    /** The subgraph's name: {@code users}, {@code posts} or {@code products}. */
    public String name() {
        return name;
    }

    /** The SDL the subgraph was built from. */
    public String sdl() {
        return sdl;
    }

    /** The subgraph's database. */
    public Database database() {
        return database;
    }

    /** The SQL statements the subgraph executed. */
    public SqlStatistics sql() {
        return database.sql();
    }

    /** The library's entities of this subgraph (kill switch, caches, types). */
    public FederatedEntities entities() {
        return entities;
    }

    /** What entity resolution did, per type, since start. */
    public FederationStatistics statistics() {
        return statistics;
    }

    /** The {@code _entities} calls received. */
    public EntitiesCallStatistics entitiesCalls() {
        return entitiesCalls;
    }

    /** The body of {@code GET /debug/federation}: mode, {@code _entities} calls, statistics per type. */
    public Map<String, Object> debugFederation() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subgraph", name);
        Map<String, Object> view = FederationViews.federation(entities, statistics);
        out.put("mode", view.remove("mode"));
        out.put("entities_calls", entitiesCalls.toMap());
        out.putAll(view);
        return out;
    }

    /** The body of {@code GET /debug/dataloader}: the per-request loaders, their limits and their batches. */
    public Map<String, Object> debugDataLoader() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subgraph", name);
        out.putAll(FederationViews.dataLoader(entities, statistics, ownLoaders));
        return out;
    }

    /** The body of {@code GET /debug/cache_stats}: the cross-request caches' Caffeine statistics. */
    public Map<String, Object> debugCacheStats() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subgraph", name);
        out.putAll(FederationViews.cacheStats(entities));
        return out;
    }

    /** The body of {@code GET /debug/sql}: statements executed, counted at the JDBC layer. */
    public Map<String, Object> debugSql() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subgraph", name);
        out.put("database", database.name());
        out.put("total", database.sql().total());
        out.put("statements", database.sql().snapshot());
        return out;
    }

    @Override
    public void close() {
        database.close();
    }

    @Override
    public String toString() {
        return "Subgraph[" + name + ", " + entities.modeSwitch().mode() + "]";
    }
}
