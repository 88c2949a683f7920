/** Helpers of federation-metrics. Not API: may change in any release. */
@NullMarked
package dev.federation.metrics.internal;

import org.jspecify.annotations.NullMarked;
