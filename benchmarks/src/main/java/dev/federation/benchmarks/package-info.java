/** JMH benchmarks. */
package dev.federation.benchmarks;
