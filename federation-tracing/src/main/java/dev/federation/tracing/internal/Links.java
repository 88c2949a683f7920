package dev.federation.tracing.internal;

import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;

/** Adds links to the distinct, valid span contexts that contributed keys, at most a given number. */
final class Links {

    private Links() {
    }

    /** Adds a link to each distinct valid context of {@code contributors}, at most {@code max}; returns how many. */
    static int add(SpanBuilder builder, int max, SpanContext... contributors) {
        int added = 0;
        for (int i = 0; i < contributors.length && added < max; i++) {
            SpanContext c = contributors[i];
            if (!c.isValid() || seenBefore(contributors, i)) {
                continue;
            }
            builder.addLink(c);
            added++;
        }
        return added;
    }

    private static boolean seenBefore(SpanContext[] contributors, int i) {
        for (int j = 0; j < i; j++) {
            if (contributors[j].getSpanId().equals(contributors[i].getSpanId())
                    && contributors[j].getTraceId().equals(contributors[i].getTraceId())) {
                return true;
            }
        }
        return false;
    }
}
