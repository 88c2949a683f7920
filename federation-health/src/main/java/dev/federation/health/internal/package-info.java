/** Helpers of federation-health. Not API: may change in any release. */
@NullMarked
package dev.federation.health.internal;

import org.jspecify.annotations.NullMarked;
