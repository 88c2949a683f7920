package dev.federation.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapSamplerTest {

    @Test
    void jvmSamplerReadsHeapUsedAfterACollection() {
        System.gc();
        long used = HeapSampler.afterGc().usedAfterGcBytes();
        assertThat(used).isPositive();
        assertThat(used).isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
    }
}
