package dev.federation.benchmarks;

import dev.federation.core.FederationMode;
import dev.federation.examples.http.SubgraphServer;
import dev.federation.examples.subgraphs.DataSettings;
import dev.federation.examples.subgraphs.Subgraph;
import dev.federation.examples.subgraphs.SubgraphConfig;
import dev.federation.examples.subgraphs.UsersSubgraph;
import dev.federation.testkit.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link LoadRunner} sends requests to: an endpoint, the request bodies it cycles through (the
 * gateway's {@code _entities} shape) and the {@code _entities} list each body must be answered with.
 *
 * @param description what the target is, for the report
 * @param uri the GraphQL endpoint
 * @param bodies JSON request bodies; request {@code i} sends {@code bodies[i % size]}
 * @param expected the {@code _entities} each body must be answered with, by body index
 * @param representations representations per request
 * @param stop what stops the target when the run is over (nothing for an external one)
 */
record LoadTarget(String description, URI uri, List<String> bodies, List<List<Map<String, Object>>> expected,
        int representations, AutoCloseable stop) {

    /** Distinct request bodies a users target cycles through, so that the database sees varied ids. */
    static final int USERS_BODIES = 64;

    /** Rows of the users table of the example subgraph started in process. */
    static final int USERS_ROWS = 10_000;

    /**
     * The examples module's users subgraph (H2 through HikariCP, this library, its HTTP server) started in
     * this JVM on {@code 127.0.0.1} and a free port; requests of {@code representations} users.
     */
    static LoadTarget exampleUsers(int representations) {
        Subgraph users = UsersSubgraph.create(SubgraphConfig.custom()
                .data(DataSettings.sizes(USERS_ROWS, DataSettings.DEFAULT_POSTS, DataSettings.DEFAULT_PRODUCTS))
                .mode(FederationMode.BATCHED)
                .build());
        SubgraphServer server = SubgraphServer.builder(users).name(UsersSubgraph.NAME).port(0).build().start();
        return users(server.graphqlUri(), representations, USERS_ROWS,
                "examples users subgraph (H2) in this JVM at " + server.graphqlUri(), () -> {
                    server.close();
                    users.close();
                });
    }

    /**
     * A users subgraph of the examples module's schema at {@code uri}, started elsewhere, whose users table
     * holds ids {@code 1..rows}.
     */
    static LoadTarget externalUsers(URI uri, int representations, int rows) {
        return users(uri, representations, rows, "users subgraph at " + uri, () -> {
        });
    }

    private static LoadTarget users(URI uri, int representations, int rows, String description,
            AutoCloseable stop) {
        String query = "query($representations:[_Any!]!){_entities(representations:$representations)"
                + "{...on User{id name}}}";
        List<String> bodies = new ArrayList<>(USERS_BODIES);
        List<List<Map<String, Object>>> expected = new ArrayList<>(USERS_BODIES);
        for (int b = 0; b < USERS_BODIES; b++) {
            List<Map<String, Object>> reps = new ArrayList<>(representations);
            List<Map<String, Object>> entities = new ArrayList<>(representations);
            for (int j = 0; j < representations; j++) {
                long id = ((long) b * representations + j) % rows + 1;
                Map<String, Object> rep = new LinkedHashMap<>();
                rep.put("__typename", "User");
                rep.put("id", Long.toString(id));
                reps.add(rep);
                Map<String, Object> entity = new LinkedHashMap<>();
                entity.put("id", Long.toString(id));
                entity.put("name", UsersSubgraph.nameOf(id));
                entities.add(entity);
            }
            bodies.add(body(query, reps));
            expected.add(entities);
        }
        return new LoadTarget(description, uri, bodies, expected, representations, stop);
    }

    /**
     * Implementation {@code impl} (a {@link Subgraphs} name) over the in-memory backend, served in this JVM by
     * the examples' {@link SubgraphServer} (the same HTTP server as the example subgraphs, on {@code 127.0.0.1}
     * and a free port, at most {@code threads} requests at once); requests of {@code representations} over
     * {@code types} types.
     */
    static LoadTarget local(String impl, int representations, int types, int threads) {
        Workload workload = Workload.of(representations, types);
        Backend backend = Backend.inMemory();
        dev.federation.benchmarks.Subgraph subgraph = Subgraphs.create(impl, backend);
        SubgraphServer server = SubgraphServer.builder((query, variables, operationName, headers) ->
                        subgraph.execute(query, variables))
                .name("benchmark-" + impl)
                .port(0)
                .threads(threads)
                .build()
                .start();
        return new LoadTarget("in-module " + impl + " subgraph (in-memory backend) in this JVM at "
                + server.graphqlUri(), server.graphqlUri(),
                List.of(body(workload.query, workload.variables.get("representations"))),
                List.of(workload.expectedEntities()), representations, () -> {
                    server.close();
                    subgraph.close();
                    backend.close();
                });
    }

    private static String body(String query, Object representations) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", Map.of("representations", representations));
        return Json.write(body);
    }
}
