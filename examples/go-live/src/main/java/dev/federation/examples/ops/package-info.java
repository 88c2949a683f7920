/** The {@code status} command of the operations kit: the go-live tables read from Prometheus. */
@NullMarked
package dev.federation.examples.ops;

import org.jspecify.annotations.NullMarked;
