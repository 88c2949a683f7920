package dev.federation.core;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void resolvesUsersInOneBatch() {
        TestSubgraph.Backend backend = new TestSubgraph.Backend();
        FederatedEntities entities = FederatedEntities.builder()
                .modeSwitch(FederationModeSwitch.of(FederationMode.BATCHED))
                .entity(EntityType.named("User")
                        .key("id", rep -> rep.getString("id"), EntityBatchLoader.mapped(backend::users))
                        .build())
                .build();
        TestSubgraph subgraph = new TestSubgraph(entities);
        ExecutionResult result = subgraph.entities(TestSubgraph.users(0, 100), "...on User{id name}");
        System.out.println(result.toSpecification().toString().substring(0, 300));
        assertThat(result.getErrors()).isEmpty();
        List<Object> list = TestSubgraph.entityList(result);
        assertThat(list).hasSize(100);
        assertThat(list.get(7)).isEqualTo(Map.of("id", "u7", "name", "User u7"));
        assertThat(backend.calls).hasSize(1);
        assertThat(backend.calls.get(0)).hasSize(100);
    }
}
