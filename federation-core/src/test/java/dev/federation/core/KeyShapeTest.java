package dev.federation.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyShapeTest {

    @Test
    void parsesSingleCompositeAndNestedKeys() {
        assertThat(KeyShape.parse("id").toString()).isEqualTo("id");
        assertThat(KeyShape.parse("  sku   package ").toString()).isEqualTo("sku package");
        assertThat(KeyShape.parse("sku variation{id}").toString()).isEqualTo("sku variation { id }");
        assertThat(KeyShape.parse("a, b { c d { e } }").leafCount()).isEqualTo(3);
        assertThat(KeyShape.parse("sku variation { id }")).isEqualTo(KeyShape.parse("sku variation {id}"));
    }

    @Test
    void rejectsMalformedSelectionsWithTheirPosition() {
        assertThatThrownBy(() -> KeyShape.parse("")).hasMessageContaining("empty selection");
        assertThatThrownBy(() -> KeyShape.parse("sku variation { id")).hasMessageContaining("missing '}'");
        assertThatThrownBy(() -> KeyShape.parse("id }")).hasMessageContaining("unexpected '}'");
        assertThatThrownBy(() -> KeyShape.parse("id id")).hasMessageContaining("field 'id' named twice");
        assertThatThrownBy(() -> KeyShape.parse("id(x: 1)")).hasMessageContaining("unexpected '('");
        assertThatThrownBy(() -> KeyShape.parse("a { }")).hasMessageContaining("empty selection");
    }

    @Test
    void findsTheFirstMissingFieldAsADottedPath() {
        KeyShape shape = KeyShape.parse("sku variation { id }");

        assertThat(shape.firstMissingField(Map.of("sku", "s", "variation", Map.of("id", "v")))).isNull();
        assertThat(shape.firstMissingField(Map.of("variation", Map.of("id", "v")))).isEqualTo("sku");
        assertThat(shape.firstMissingField(Map.of("sku", "s", "variation", Map.of()))).isEqualTo("variation.id");
    }

    @Test
    void entityKeysAreValuesWithNestedKeys() {
        EntityKey a = EntityKey.of(Map.of("sku", "s", "variation", Map.of("id", "v")));
        EntityKey b = EntityKey.of(Map.of("variation", EntityKey.of("id", "v"), "sku", "s"));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.getKey("variation").getString("id")).isEqualTo("v");
        assertThatThrownBy(() -> a.getString("variation")).hasMessageContaining("is an object");
        assertThatThrownBy(() -> EntityKey.of("id", java.util.List.of(1)))
                .hasMessage("key field 'id' must be a scalar or an object, was a list");
    }

    @Test
    void optionBuildersRejectBadValuesAtOnce() {
        assertThatThrownBy(() -> FederationOptions.custom().maxBatchSize(0))
                .hasMessage("maxBatchSize must be at least 1, was 0");
        assertThatThrownBy(() -> FederationOptions.custom().maxRepresentations(-1))
                .hasMessage("maxRepresentations must be at least 1, was -1");
        assertThatThrownBy(() -> FederationOptions.custom().batchTimeout(Duration.ofSeconds(-1)))
                .hasMessage("batchTimeout must be positive, was PT-1S");
        FederationOptions o = FederationOptions.custom().maxBatchSize(7).build();
        assertThat(FederationOptions.from(o).build().maxBatchSize()).isEqualTo(7);
        assertThat(FederationOptions.ofDefaults().maxBatchSize()).isEqualTo(FederationOptions.DEFAULT_MAX_BATCH_SIZE);
    }

    @Test
    void entityTypesRejectBadDeclarations() {
        EntityBatchLoader<EntityKey, Object> loader = EntityBatchLoader.mapped(keys -> Map.of());
        assertThatThrownBy(() -> EntityType.named("User").build()).hasMessage("entity type User declares no key");
        assertThatThrownBy(() -> EntityType.named("User").key("id", loader).key(" id ", loader))
                .hasMessage("key \"id\" of User declared twice");
        assertThatThrownBy(() -> EntityType.named("not a name")).hasMessage("'not a name' is not a GraphQL type name");
        FederatedEntities none = FederatedEntities.builder().build();
        assertThatThrownBy(none::fetcher).hasMessageStartingWith("no entity type was added");
        assertThatThrownBy(none::typeResolver).hasMessageStartingWith("no entity type was added");
        EntityType user = EntityType.named("User").key("id", loader).build();
        assertThatThrownBy(() -> FederatedEntities.builder().entity(user).entity(user))
                .hasMessage("entity type User added twice");
    }
}
