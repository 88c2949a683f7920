package dev.federation.core;

/** A test's view into the cross-request batcher, from another module's tests (same package, test code only). */
public final class CrossRequestTestAccess {

    private CrossRequestTestAccess() {
    }

    /** Keys waiting in the batchers of every key of {@code entities}. */
    public static int waitingKeys(FederatedEntities entities) {
        int n = 0;
        for (KeyResolver<?> r : entities.keyResolvers()) {
            CrossRequestBatcher<?> b = r.batcher();
            if (b != null) {
                n += b.waitingKeys();
            }
        }
        return n;
    }
}
