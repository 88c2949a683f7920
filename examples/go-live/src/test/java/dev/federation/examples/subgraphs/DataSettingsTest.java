package dev.federation.examples.subgraphs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.federation.examples.demo.DemoConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one data settings value: its checks, and the configurations that carry it. */
class DataSettingsTest {

    @Test
    void rejectsEmptyDataAndNegativeRoundTrips() {
        DataSettings d = DataSettings.ofDefaults();
        assertThatThrownBy(() -> DataSettings.sizes(0, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("users must be at least 1, was 0");
        assertThatThrownBy(() -> DataSettings.sizes(1, -5, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("posts must be at least 1, was -5");
        assertThatThrownBy(() -> DataSettings.sizes(1, 1, Integer.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("products must be at least 1, was " + Integer.MIN_VALUE);
        assertThatThrownBy(() -> d.withDbRoundTrip(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dbRoundTrip must not be negative, was PT-0.000000001S");
        assertThatThrownBy(() -> d.withDbRoundTrip(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void oneValueGoesThroughEveryConfig() {
        DataSettings d = DataSettings.sizes(5, 6, 7).withDbRoundTrip(Duration.ofMillis(2));
        assertThat(d).isEqualTo(new DataSettings(5, 6, 7, Duration.ofMillis(2)));
        assertThat(d.withDbRoundTrip(Duration.ZERO)).isEqualTo(DataSettings.sizes(5, 6, 7));
        assertThat(DemoConfig.custom().data(d).representations(5).build().data()).isSameAs(d);
        assertThatThrownBy(() -> DemoConfig.custom().data(d).representations(6).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("users, posts and products must each be at least 6 (the representations per call)");
        assertThat(SubgraphConfig.custom().data(d).build().toBuilder().build().data()).isEqualTo(d);
        assertThat(DataSettings.ofDefaults())
                .isEqualTo(new DataSettings(DataSettings.DEFAULT_USERS, DataSettings.DEFAULT_POSTS,
                        DataSettings.DEFAULT_PRODUCTS, Duration.ZERO));
    }
}
