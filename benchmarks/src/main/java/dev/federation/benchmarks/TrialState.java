package dev.federation.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the benchmarks of one {@code _entities} call share: the {@link Trial} of one implementation on one
 * {@link Workload}, started (and its answers checked) before the measurement and closed after it. A subclass
 * names the implementation (its own {@code @Param}), the workload and the backend in {@link #start()}.
 *
 * <p>Public and abstract because JMH generates subclasses of its subclasses.
 */
@State(Scope.Benchmark)
public abstract class TrialState {

    /** The running implementation. */
    protected Trial trial = Trial.NONE;
    /** The call it is measured on. */
    protected Workload workload = Workload.of(1, 1);

    /**
     * Sets {@link #workload} from the subclass's parameters and starts its implementation on it with
     * {@link Trial#start}, which checks that it answers the expected entities.
     */
    protected abstract Trial start();

    /** Builds the implementation and checks that it answers the expected entities. */
    @Setup(Level.Trial)
    public void setUp() {
        trial = start();
    }

    /** Releases the implementation and the backend. */
    @TearDown(Level.Trial)
    public void tearDown() {
        trial.close();
    }
}
