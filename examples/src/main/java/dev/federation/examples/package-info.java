/** Example subgraphs. */
package dev.federation.examples;
