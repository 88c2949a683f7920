package dev.federation.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the heap used after the latest garbage collection: the level a leak raises and ordinary allocation
 * does not. The health monitor samples it at each check and judges the slope.
 *
 * <p>Public SPI; tests give a sampler of their own.
 */
@FunctionalInterface
public interface HeapSampler {

    /** Bytes of heap in use right after the latest collection, or -1 when not known (yet). */
    long usedAfterGcBytes();

    /**
     * The sampler of this JVM: the sum of the collection usage (usage after the latest GC,
     * {@link MemoryPoolMXBean#getCollectionUsage()}) of the heap memory pools; -1 when no pool reports one.
     */
    static HeapSampler afterGc() {
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                pools.add(pool);
            }
        }
        return () -> {
            long used = 0;
            boolean any = false;
            for (MemoryPoolMXBean pool : pools) {
                MemoryUsage u = pool.getCollectionUsage();
                if (u != null) {
                    used += u.getUsed();
                    any = true;
                }
            }
            return any ? used : -1;
        };
    }
}
