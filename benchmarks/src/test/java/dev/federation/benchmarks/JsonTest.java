package dev.federation.benchmarks;


import dev.federation.testkit.Json;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void writtenValuesParseBackEqual() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("query", "query($r:[_Any!]!){_entities(representations:$r){...on User{id}}}");
        value.put("list", List.of(1L, 2.5, true, "a \"quoted\"\nline"));
        value.put("nothing", null);
        value.put("nested", Map.of("k", List.of()));

        assertThat(Json.parse(Json.write(value))).isEqualTo(value);
    }

    @Test
    void parsesEscapesAndNumbers() {
        assertThat(Json.parse(" [\"\\u0041\\t\", -12, 1.5e3, false] "))
                .isEqualTo(Arrays.asList("A\t", -12L, 1500.0, false));
    }

    @Test
    void rejectsTrailingCharacters() {
        assertThatThrownBy(() -> Json.parse("{} x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid JSON: ");
    }
}
