package dev.federation.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapSamplerTest {

    @Test
    void jvmSamplerReadsHeapUsedAfterACollectionAndTheHeapsLimit() {
        System.gc();
        HeapSampler sampler = HeapSampler.afterGc();
        long used = sampler.usedAfterGcBytes();
        assertThat(used).isPositive();
        assertThat(used).isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(sampler.maxBytes()).isGreaterThanOrEqualTo(used);
    }

    @Test
    void aSamplerOfOnlyTheUsedBytesKnowsNoLimit() {
        HeapSampler sampler = () -> 42;
        assertThat(sampler.maxBytes()).isEqualTo(-1);
    }
}
