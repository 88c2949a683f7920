/** Micrometer meters for federation-core (to be filled). */
package dev.federation.metrics;
