package dev.federation.health;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the heap used after the latest garbage collection: the level a leak raises and ordinary allocation
 * does not. The health monitor samples it at each check and judges its trend against the heap's limit.
 *
 * <p>Public SPI; tests give a sampler of their own.
 */
@FunctionalInterface
public interface HeapSampler {

    /** Bytes of heap in use right after the latest collection, or -1 when not known (yet). */
    long usedAfterGcBytes();

    /**
     * The most bytes the heap may grow to (the JVM's {@code -Xmx}), or -1 when not known; a monitor with no
     * limit to project against never rolls back for memory, it only warns. -1 by default.
     */
    default long maxBytes() {
        return -1;
    }

    /**
     * The sampler of this JVM. Used: the sum of the collection usage (usage right after the latest
     * collection, {@link MemoryPoolMXBean#getCollectionUsage()}) of the heap memory pools, which for the old
     * generation is its occupancy after its latest collection; -1 when no pool reports one. Max: the heap's
     * maximum ({@code MemoryMXBean.getHeapMemoryUsage().getMax()}).
     */
    static HeapSampler afterGc() {
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                pools.add(pool);
            }
        }
        return new HeapSampler() {
            @Override
            public long usedAfterGcBytes() {
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
            }

            @Override
            public long maxBytes() {
                return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
            }

            @Override
            public String toString() {
                return "heap after GC";
            }
        };
    }
}
