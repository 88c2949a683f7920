package dev.federation.examples.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mdg.engine.proto.Reports;
import org.junit.jupiter.api.Test;

/**
 * The behaviours Apollo's subgraph compatibility suite checks of the {@code products} subgraph, executed in
 * process with the request shapes the suite and a gateway send.
 */
class CompatSubgraphTest {

    private static final String EMAIL = "support@apollographql.com";

    private final CompatSubgraph compat = CompatSubgraph.create(b -> b.modeSwitch(
            FederationModeSwitch.of(FederationMode.BATCHED)));

    @Test
    void productResolvesByEachOfItsThreeKeysInOneRequestWithOneBatchCallPerKeyShape() {
        ExecutionResult result = entities("...on Product { id sku package variation { id } }",
                rep("Product", "id", "apollo-federation"),
                rep("Product", "sku", "federation", "package", "@apollo/federation"),
                rep("Product", "sku", "studio", "variation", Map.of("id", "platform")));

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).containsExactly(
                Map.of("id", "apollo-federation", "sku", "federation", "package", "@apollo/federation",
                        "variation", Map.of("id", "OSS")),
                Map.of("id", "apollo-federation", "sku", "federation", "package", "@apollo/federation",
                        "variation", Map.of("id", "OSS")),
                Map.of("id", "apollo-studio", "sku", "studio", "package", "",
                        "variation", Map.of("id", "platform")));
        assertThat(compat.data().calls("Product(id)")).isEqualTo(1);
        assertThat(compat.data().calls("Product(sku package)")).isEqualTo(1);
        assertThat(compat.data().calls("Product(sku variation { id })")).isEqualTo(1);
    }

    @Test
    void productEntityServesTheWholeDataSetRecord() {
        ExecutionResult result = entities("...on Product { id sku package variation { id }"
                        + " dimensions { size weight unit } createdBy { email name totalProductsCreated }"
                        + " notes research { study { caseNumber description } outcome } }",
                rep("Product", "id", "apollo-studio"));

        assertThat(result.getErrors()).isEmpty();
        Map<String, Object> studio = new LinkedHashMap<>();
        studio.put("id", "apollo-studio");
        studio.put("sku", "studio");
        studio.put("package", "");
        studio.put("variation", Map.of("id", "platform"));
        studio.put("dimensions", Map.of("size", "small", "weight", 1.0, "unit", "kg"));
        studio.put("createdBy", Map.of("email", EMAIL, "name", "Jane Smith", "totalProductsCreated", 1337));
        studio.put("notes", null);
        Map<String, Object> research = new LinkedHashMap<>();
        research.put("study", Map.of("caseNumber", "1235", "description", "Studio Study"));
        research.put("outcome", null);
        studio.put("research", List.of(research));
        assertThat(entityList(result)).containsExactly(studio);
    }

    @Test
    void unknownProductResolvesToNullWithoutError() {
        ExecutionResult result = entities("...on Product { id }", rep("Product", "id", "no-such-product"));

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).containsExactly((Object) null);
    }

    @Test
    void deprecatedProductResolvesBySkuAndPackage() {
        ExecutionResult result = entities("...on DeprecatedProduct { sku package reason createdBy { email name } }",
                rep("DeprecatedProduct", "sku", "apollo-federation-v1", "package", "@apollo/federation-v1"));

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).containsExactly(Map.of("sku", "apollo-federation-v1",
                "package", "@apollo/federation-v1", "reason", "Migrate to Federation V2",
                "createdBy", Map.of("email", EMAIL, "name", "Jane Smith")));
        assertThat(compat.data().calls("DeprecatedProduct(sku package)")).isEqualTo(1);
    }

    @Test
    void productResearchResolvesByNestedCaseNumber() {
        ExecutionResult result = entities("...on ProductResearch { study { caseNumber description } outcome }",
                rep("ProductResearch", "study", Map.of("caseNumber", "1234")),
                rep("ProductResearch", "study", Map.of("caseNumber", "1235")));

        assertThat(result.getErrors()).isEmpty();
        Map<String, Object> federation = new LinkedHashMap<>();
        federation.put("study", Map.of("caseNumber", "1234", "description", "Federation Study"));
        federation.put("outcome", null);
        Map<String, Object> studio = new LinkedHashMap<>();
        studio.put("study", Map.of("caseNumber", "1235", "description", "Studio Study"));
        studio.put("outcome", null);
        assertThat(entityList(result)).containsExactly(federation, studio);
        assertThat(compat.data().calls("ProductResearch(study { caseNumber })")).isEqualTo(1);
    }

    @Test
    void userResolvesByEmailAndComputesAverageFromRequiredFields() {
        ExecutionResult result = entities("...on User { email name totalProductsCreated yearsOfEmployment"
                        + " averageProductsCreatedPerYear }",
                rep("User", "email", EMAIL, "totalProductsCreated", 1337, "yearsOfEmployment", 10));

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).containsExactly(Map.of("email", EMAIL, "name", "Jane Smith",
                "totalProductsCreated", 1337, "yearsOfEmployment", 10, "averageProductsCreatedPerYear", 134));
    }

    @Test
    void userAverageIsNullWhenTotalProductsCreatedIsAbsent() {
        ExecutionResult result = entities("...on User { email name averageProductsCreatedPerYear }",
                rep("User", "email", EMAIL, "yearsOfEmployment", 10));

        assertThat(result.getErrors()).isEmpty();
        Map<String, Object> jane = new LinkedHashMap<>();
        jane.put("email", EMAIL);
        jane.put("name", "Jane Smith");
        jane.put("averageProductsCreatedPerYear", null);
        assertThat(entityList(result)).containsExactly(jane);
    }

    @Test
    void userRepresentationsDifferingOnlyInRequiredFieldsResolveApartInOneBatch() {
        ExecutionResult result = entities("...on User { email averageProductsCreatedPerYear }",
                rep("User", "email", EMAIL, "totalProductsCreated", 1337, "yearsOfEmployment", 10),
                rep("User", "email", EMAIL, "totalProductsCreated", 25, "yearsOfEmployment", 10),
                rep("User", "email", EMAIL, "totalProductsCreated", 1337, "yearsOfEmployment", 10));

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).containsExactly(
                Map.of("email", EMAIL, "averageProductsCreatedPerYear", 134),
                Map.of("email", EMAIL, "averageProductsCreatedPerYear", 3),
                Map.of("email", EMAIL, "averageProductsCreatedPerYear", 134));
        assertThat(compat.data().calls("User(email)")).isEqualTo(1);
    }

    @Test
    void requiredFieldsAreReadWhateverNumberTypeTheJsonParserChose() {
        ExecutionResult result = entities("...on User { averageProductsCreatedPerYear }",
                rep("User", "email", EMAIL, "totalProductsCreated", 1337L, "yearsOfEmployment", 10.0),
                rep("User", "email", EMAIL, "totalProductsCreated", new java.math.BigDecimal("1337"),
                        "yearsOfEmployment", (short) 10));

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).containsExactly(Map.of("averageProductsCreatedPerYear", 134),
                Map.of("averageProductsCreatedPerYear", 134));
    }

    @Test
    void userWithNonIntegerRequiredFieldIsRejectedAtItsIndexOnly() {
        ExecutionResult result = entities("...on User { email averageProductsCreatedPerYear }",
                rep("User", "email", EMAIL, "totalProductsCreated", "many", "yearsOfEmployment", 10),
                rep("User", "email", EMAIL, "totalProductsCreated", 1337, "yearsOfEmployment", 10));

        assertThat(entityList(result)).hasSize(2);
        assertThat(entityList(result).get(0)).isNull();
        assertThat(entityList(result).get(1)).isEqualTo(Map.of("email", EMAIL, "averageProductsCreatedPerYear", 134));
        assertThat(result.getErrors()).singleElement().satisfies(e -> {
            assertThat(e.getPath()).containsExactly("_entities", 0);
            assertThat(e.getMessage()).contains("totalProductsCreated");
        });
    }

    @Test
    void inventoryInterfaceObjectResolvesById() {
        ExecutionResult result = entities("...on Inventory { id deprecatedProducts { sku package reason } }",
                rep("Inventory", "id", "apollo-oss"));

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).containsExactly(Map.of("id", "apollo-oss", "deprecatedProducts",
                List.of(Map.of("sku", "apollo-federation-v1", "package", "@apollo/federation-v1",
                        "reason", "Migrate to Federation V2"))));
        assertThat(compat.data().calls("Inventory(id)")).isEqualTo(1);
    }

    @Test
    void everyEntityTypeResolvesInOneMixedRequest() {
        ExecutionResult result = entities("__typename",
                rep("Product", "id", "apollo-federation"),
                rep("DeprecatedProduct", "sku", "apollo-federation-v1", "package", "@apollo/federation-v1"),
                rep("ProductResearch", "study", Map.of("caseNumber", "1234")),
                rep("User", "email", EMAIL, "totalProductsCreated", 1337, "yearsOfEmployment", 10),
                rep("Inventory", "id", "apollo-oss"));

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result).stream().map(e -> (Object) ((Map<?, ?>) e).get("__typename")))
                .containsExactly("Product", "DeprecatedProduct", "ProductResearch", "User", "Inventory");
    }

    @Test
    void keysResolveOneByOneInDirectModeToo() {
        CompatSubgraph direct = CompatSubgraph.create(b -> b.modeSwitch(
                FederationModeSwitch.of(FederationMode.DIRECT)));
        ExecutionResult result = execute(direct, entitiesQuery("...on Product { id }"), Map.of("representations",
                List.of(rep("Product", "id", "apollo-federation"), rep("Product", "id", "apollo-studio"))), Map.of());

        assertThat(result.getErrors()).isEmpty();
        assertThat(entityList(result)).containsExactly(Map.of("id", "apollo-federation"),
                Map.of("id", "apollo-studio"));
        assertThat(direct.data().calls("Product(id)")).isEqualTo(2);
    }

    @Test
    void productCreatedByProvidesTotalProductsCreatedThatIsNotFour() {
        ExecutionResult result = execute(compat,
                "query($id: ID!) { product(id: $id) { createdBy { email totalProductsCreated } } }",
                Map.of("id", "apollo-federation"), Map.of());

        assertThat(result.getErrors()).isEmpty();
        assertThat(data(result)).isEqualTo(Map.of("product",
                Map.of("createdBy", Map.of("email", EMAIL, "totalProductsCreated", 1337))));
        assertThat(compat.data().calls("Product(id)")).as("Query.product goes through the request's DataLoader")
                .isEqualTo(1);
    }

    @Test
    void inaccessibleUnitAnswersKgOnTheSubgraph() {
        ExecutionResult result = execute(compat,
                "{ product(id: \"apollo-federation\") { dimensions { size weight unit } } }", null, Map.of());

        assertThat(result.getErrors()).isEmpty();
        assertThat(data(result)).isEqualTo(Map.of("product",
                Map.of("dimensions", Map.of("size", "small", "weight", 1.0, "unit", "kg"))));
    }

    @Test
    void deprecatedProductRootFieldAnswersBySkuAndPackage() {
        ExecutionResult result = execute(compat, "{ deprecatedProduct(sku: \"apollo-federation-v1\","
                + " package: \"@apollo/federation-v1\") { sku reason } }", null, Map.of());

        assertThat(result.getErrors()).isEmpty();
        assertThat(data(result)).isEqualTo(Map.of("deprecatedProduct",
                Map.of("sku", "apollo-federation-v1", "reason", "Migrate to Federation V2")));
    }

    @Test
    void traceHeaderAddsExactlyAnFtv1TraceOfTheQuery() throws Exception {
        ExecutionResult result = execute(compat, "{ __typename }", null,
                Map.of("apollo-federation-include-trace", "ftv1"));

        Map<String, Object> spec = result.toSpecification();
        assertThat(spec).containsOnlyKeys("data", "extensions");
        assertThat(spec.get("data")).isEqualTo(Map.of("__typename", "Query"));
        @SuppressWarnings("unchecked")
        Map<String, Object> extensions = (Map<String, Object>) spec.get("extensions");
        assertThat(extensions).containsOnlyKeys("ftv1");
        assertThat(extensions.get("ftv1")).isInstanceOf(String.class);
        byte[] bytes = Base64.getDecoder().decode((String) extensions.get("ftv1"));
        Reports.Trace trace = Reports.Trace.parseFrom(bytes);
        assertThat(trace.getRoot().getChildList()).extracting(Reports.Trace.Node::getResponseName)
                .containsExactly("__typename");
        assertThat(trace.getDurationNs()).isPositive();
    }

    @Test
    void noTraceWithoutTheHeaderOrWithAnotherValue() {
        ExecutionResult without = execute(compat, "{ __typename }", null, Map.of("content-type", "application/json"));
        ExecutionResult other = execute(compat, "{ __typename }", null,
                Map.of("apollo-federation-include-trace", "ftv2"));

        assertThat(without.toSpecification()).isEqualTo(Map.of("data", Map.of("__typename", "Query")));
        assertThat(other.toSpecification()).isEqualTo(Map.of("data", Map.of("__typename", "Query")));
    }

    @Test
    void traceHeaderNameIsMatchedWhateverItsCase() {
        ExecutionResult result = execute(compat, "{ __typename }", null,
                Map.of("Apollo-Federation-Include-Trace", "ftv1"));

        assertThat(result.getExtensions()).containsOnlyKeys("ftv1");
    }

    @Test
    void operationNameSelectsTheOperationToRun() {
        ExecutionResult result = compat.execute(
                "query A { __typename } query B { product(id: \"apollo-studio\") { sku } }", null, "B", Map.of());

        assertThat(result.getErrors()).isEmpty();
        assertThat(data(result)).isEqualTo(Map.of("product", Map.of("sku", "studio")));
    }

    @Test
    void badQueryIsAnErrorOfTheResultNotAnException() {
        ExecutionResult result = execute(compat, "{ product(id: ", null, Map.of());

        assertThat(result.getErrors()).extracting(GraphQLError::getErrorType).hasSize(1)
                .first().hasToString("InvalidSyntax");
    }

    private ExecutionResult entities(String selection, Map<?, ?>... representations) {
        return execute(compat, entitiesQuery(selection), Map.of("representations", List.of(representations)),
                Map.of());
    }

    static String entitiesQuery(String selection) {
        return "query($representations:[_Any!]!){_entities(representations:$representations){" + selection + "}}";
    }

    static ExecutionResult execute(CompatSubgraph subgraph, String query, Map<String, Object> variables,
            Map<String, String> headers) {
        return subgraph.execute(query, variables, null, headers);
    }

    static Map<String, Object> data(ExecutionResult result) {
        Map<String, Object> data = result.getData();
        assertThat(data).as("data of %s", result.getErrors()).isNotNull();
        return data;
    }

    @SuppressWarnings("unchecked")
    static List<Object> entityList(ExecutionResult result) {
        return (List<Object>) data(result).get("_entities");
    }

    static Map<String, Object> rep(String typename, Object... fieldsAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("__typename", typename);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            m.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return m;
    }
}
