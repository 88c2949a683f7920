package dev.federation.examples.compat;

import dev.federation.core.FederatedEntities;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The public data set of Apollo's subgraph compatibility suite ({@code shared/compat/README.md}), in memory,
 * with one batch function per entity key. Each batch function counts its calls by the DataLoader name of its
 * key (e.g. {@code "Product(sku package)"}), so tests can tell how often the backend was asked.
 *
 * <p>Thread-safe: the data is immutable, the counters are atomic.
 */
final class CompatData {

    /** The e-mail of the only user of the data set. */
    static final String USER_EMAIL = "support@apollographql.com";

    record User(String email, String name, @Nullable Integer totalProductsCreated, int yearsOfEmployment) {
        /** round(totalProductsCreated / yearsOfEmployment); {@code null} when either is unknown or zero years. */
        public @Nullable Integer averageProductsCreatedPerYear() {
            if (totalProductsCreated == null || yearsOfEmployment == 0) {
                return null;
            }
            return (int) Math.round((double) totalProductsCreated / yearsOfEmployment);
        }
    }

    record ProductVariation(String id) {
    }

    record ProductDimension(String size, double weight, String unit) {
    }

    record CaseStudy(String caseNumber, String description) {
    }

    record ProductResearch(CaseStudy study, @Nullable String outcome) {
    }

    /** A product; {@code pkg} is the GraphQL field {@code package} (a Java keyword). */
    record Product(String id, String sku, String pkg, ProductVariation variation, ProductDimension dimensions,
            User createdBy, @Nullable String notes, List<ProductResearch> research) {
    }

    /** A deprecated product; {@code pkg} is the GraphQL field {@code package}. */
    record DeprecatedProduct(String sku, String pkg, String reason, User createdBy) {
    }

    record Inventory(String id, List<DeprecatedProduct> deprecatedProducts) {
    }

    /** The key {@code sku package}. */
    record SkuPackage(String sku, String pkg) {
    }

    /** The key {@code sku variation { id }}. */
    record SkuVariation(String sku, String variationId) {
    }

    /**
     * The key {@code email} together with the {@code @requires} fields the gateway sent, so that two
     * representations that differ in them are resolved apart.
     */
    record UserKey(String email, @Nullable Integer totalProductsCreated, @Nullable Integer yearsOfEmployment) {
    }

    static final User JANE = new User(USER_EMAIL, "Jane Smith", 1337, 10);

    private static final ProductDimension DIMENSIONS = new ProductDimension("small", 1, "kg");

    static final ProductResearch FEDERATION_STUDY =
            new ProductResearch(new CaseStudy("1234", "Federation Study"), null);
    static final ProductResearch STUDIO_STUDY =
            new ProductResearch(new CaseStudy("1235", "Studio Study"), null);

    static final Product FEDERATION = new Product("apollo-federation", "federation", "@apollo/federation",
            new ProductVariation("OSS"), DIMENSIONS, JANE, null, List.of(FEDERATION_STUDY));
    static final Product STUDIO = new Product("apollo-studio", "studio", "",
            new ProductVariation("platform"), DIMENSIONS, JANE, null, List.of(STUDIO_STUDY));

    static final DeprecatedProduct DEPRECATED = new DeprecatedProduct("apollo-federation-v1",
            "@apollo/federation-v1", "Migrate to Federation V2", JANE);

    static final Inventory INVENTORY = new Inventory("apollo-oss", List.of(DEPRECATED));

    private static final List<Product> PRODUCTS = List.of(FEDERATION, STUDIO);
    private static final List<ProductResearch> RESEARCH = List.of(FEDERATION_STUDY, STUDIO_STUDY);

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /** How many times the batch function of a key was called, by loader name (e.g. {@code "Product(id)"}). */
    int calls(String loaderName) {
        AtomicInteger n = calls.get(loaderName);
        return n == null ? 0 : n.get();
    }

    private void count(String typename, String keyFields) {
        calls.computeIfAbsent(FederatedEntities.loaderName(typename, keyFields), k -> new AtomicInteger())
                .incrementAndGet();
    }

    Map<String, Product> productsById(List<String> ids) {
        count("Product", "id");
        Map<String, Product> out = new LinkedHashMap<>();
        for (Product p : PRODUCTS) {
            if (ids.contains(p.id())) {
                out.put(p.id(), p);
            }
        }
        return out;
    }

    Map<SkuPackage, Product> productsBySkuPackage(List<SkuPackage> keys) {
        count("Product", "sku package");
        Map<SkuPackage, Product> out = new LinkedHashMap<>();
        for (Product p : PRODUCTS) {
            SkuPackage k = new SkuPackage(p.sku(), p.pkg());
            if (keys.contains(k)) {
                out.put(k, p);
            }
        }
        return out;
    }

    Map<SkuVariation, Product> productsBySkuVariation(List<SkuVariation> keys) {
        count("Product", "sku variation { id }");
        Map<SkuVariation, Product> out = new LinkedHashMap<>();
        for (Product p : PRODUCTS) {
            SkuVariation k = new SkuVariation(p.sku(), p.variation().id());
            if (keys.contains(k)) {
                out.put(k, p);
            }
        }
        return out;
    }

    Map<SkuPackage, DeprecatedProduct> deprecatedProducts(List<SkuPackage> keys) {
        count("DeprecatedProduct", "sku package");
        SkuPackage k = new SkuPackage(DEPRECATED.sku(), DEPRECATED.pkg());
        return keys.contains(k) ? Map.of(k, DEPRECATED) : Map.of();
    }

    Map<String, ProductResearch> research(List<String> caseNumbers) {
        count("ProductResearch", "study { caseNumber }");
        Map<String, ProductResearch> out = new LinkedHashMap<>();
        for (ProductResearch r : RESEARCH) {
            if (caseNumbers.contains(r.study().caseNumber())) {
                out.put(r.study().caseNumber(), r);
            }
        }
        return out;
    }

    /**
     * The users of the given keys: name from the data set, {@code totalProductsCreated} and
     * {@code yearsOfEmployment} from the representation ({@code yearsOfEmployment}, being non-null in the schema,
     * falls back to the data set when the representation lacks it).
     */
    Map<UserKey, User> users(List<UserKey> keys) {
        count("User", "email");
        Map<UserKey, User> out = new LinkedHashMap<>();
        for (UserKey k : keys) {
            if (JANE.email().equals(k.email())) {
                int years = k.yearsOfEmployment() != null ? k.yearsOfEmployment() : JANE.yearsOfEmployment();
                out.put(k, new User(k.email(), JANE.name(), k.totalProductsCreated(), years));
            }
        }
        return out;
    }

    Map<String, Inventory> inventories(List<String> ids) {
        count("Inventory", "id");
        return ids.contains(INVENTORY.id()) ? Map.of(INVENTORY.id(), INVENTORY) : Map.of();
    }
}
