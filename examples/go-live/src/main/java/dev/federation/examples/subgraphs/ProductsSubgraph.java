package dev.federation.examples.subgraphs;

import dev.federation.core.EntityBatchLoader;
import dev.federation.core.EntityCacheOptions;
import dev.federation.core.EntityType;
import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationStatistics;
import dev.federation.examples.db.Database;
import graphql.schema.idl.RuntimeWiring;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The products subgraph: {@code type Product @key(fields: "id") { id: ID! name: String! price: Float! }} on a
 * table of {@link SubgraphConfig#products()} products.
 *
 * <p>A batch of Product representations is one {@code SELECT ... WHERE id = ANY(?)}; in {@code DIRECT} mode
 * each representation is one {@code SELECT ... WHERE id = ?}. With {@link SubgraphConfig#productCache()} set,
 * products are also cached across requests.
 */
public final class ProductsSubgraph {

    /** The subgraph name. */
    public static final String NAME = "products";
    /** The batch query: one per batch of products. */
    public static final String SELECT_BATCH = "SELECT id, name, price FROM products WHERE id = ANY(?)";
    /** The one-by-one query of {@code DIRECT} mode. */
    public static final String SELECT_ONE = "SELECT id, name, price FROM products WHERE id = ?";

    /** A product row. */
    public record Product(long id, String name, double price) {
    }

    private ProductsSubgraph() {
    }

    /** The name of product {@code id}, as seeded. */
    public static String nameOf(long id) {
        return "Product " + id;
    }

    /** The price of product {@code id}, as seeded: deterministic. */
    public static double priceOf(long id) {
        return (id * 37 % 10_000) / 100.0 + 0.99;
    }

    /** Creates, seeds and wires the products subgraph. */
    public static Subgraph create(SubgraphConfig config) {
        Database db = Database.inMemory(NAME, st -> {
            st.execute("CREATE TABLE products (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
                    + " price DOUBLE PRECISION NOT NULL)");
            st.execute("INSERT INTO products SELECT x, 'Product ' || x, MOD(x * 37, 10000) / 100.0 + 0.99"
                    + " FROM SYSTEM_RANGE(1, " + config.data().products() + ")");
        }, config.data().dbRoundTrip());
        try {
            FederationStatistics stats = new FederationStatistics();
            EntitiesCallStatistics calls = new EntitiesCallStatistics();
            EntityType.Builder product = EntityType.named("Product")
                    .javaClass(Product.class)
                    .key("id", rep -> rep.getLong("id"),
                            EntityBatchLoader.<Long, Product>mapped(ids -> byIds(db, ids))
                                    .withDirect(id -> byId(db, id)));
            EntityCacheOptions cache = config.productCache();
            if (cache != null) {
                product.cache(cache);
            }
            FederatedEntities entities = Subgraph.entitiesBuilder(config, stats, calls)
                    .entity(product.build())
                    .build();
            RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                    .type("Query", t -> t.dataFetcher("product",
                            env -> byId(db, PostsSubgraph.idArgument(env, "id"))))
                    .build();
            return new Subgraph(NAME, Subgraph.schema("/schemas/products.graphql"), db, entities, stats, calls,
                    Set.of(), wiring);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    static Map<Long, Product> byIds(Database db, List<Long> ids) {
        Long[] array = ids.toArray(new Long[0]);
        List<Product> rows = db.query(SELECT_BATCH, ps -> ps.setObject(1, array), ProductsSubgraph::row);
        Map<Long, Product> out = new LinkedHashMap<>(rows.size() * 2);
        for (Product p : rows) {
            out.put(p.id(), p);
        }
        return out;
    }

    static @Nullable Product byId(Database db, long id) {
        List<Product> rows = db.query(SELECT_ONE, ps -> ps.setLong(1, id), ProductsSubgraph::row);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static Product row(ResultSet rs) throws SQLException {
        return new Product(rs.getLong(1), rs.getString(2), rs.getDouble(3));
    }
}
