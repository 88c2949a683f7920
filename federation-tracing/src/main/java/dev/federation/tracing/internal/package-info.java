/**
 * Internals of federation-tracing: the observer and its observations. Not API: may change in any release.
 */
@NullMarked
package dev.federation.tracing.internal;

import org.jspecify.annotations.NullMarked;
