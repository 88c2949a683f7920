package dev.federation.core.observer;

/** The observer that does nothing: {@link FederationObserver#noop()}. */
final class NoopObserver implements FederationObserver {
    static final NoopObserver INSTANCE = new NoopObserver();

    private NoopObserver() {
    }

    @Override
    public String toString() {
        return "FederationObserver.noop()";
    }
}
