package dev.federation.health;

import dev.federation.core.FederationMode;
import dev.federation.health.HealthJudge.Baseline;
import dev.federation.health.HealthJudge.Judgement;
import org.jspecify.annotations.Nullable;

/**
 * The rollback policy: a state machine over the judge's verdicts. It counts {@code CRITICAL} checks in a
 * row, plans the rollback, holds new rollbacks after one was undone because {@code DIRECT} served worse, and
 * plans the restore after the cool-down. It runs nothing and logs nothing: it is told the time, the verdicts,
 * and what the monitor did, and answers what to do next. Not thread-safe: the monitor calls it under its lock.
 */
final class RollbackPolicy {

    /** What the monitor should do after a check. */
    enum Plan { NONE, ROLL_BACK, RESTORE_AFTER_COOL_DOWN, RESTORE_DIRECT_WORSE }

    /**
     * The policy's answer to one judgement.
     *
     * @param status the status of the report: {@code ROLLED_BACK} while rolled back, else the verdict (made
     *     {@code CRITICAL} while a rollback is held)
     * @param consecutiveCritical {@code CRITICAL} checks in a row, this one included
     * @param reason why rolled back or held, for the report; {@code null} when neither
     * @param plan what to do
     * @param restoreReason why, for a restore plan
     * @param warning a line to log at WARN, once per state, or {@code null}
     * @param info a line to log at INFO, or {@code null}
     */
    record Decision(HealthStatus status, int consecutiveCritical, @Nullable String reason, Plan plan,
            @Nullable String restoreReason, @Nullable String warning, @Nullable String info) {
    }

    private final HealthMonitorConfig config;

    private int consecutiveCritical;
    private volatile boolean rolledBack;
    private @Nullable String rollbackReason;
    private long rolledBackAtNanos;
    private @Nullable Baseline baseline;
    private @Nullable String heldReason;
    private boolean directWorseWarned;
    private long modeChangedAtNanos = Long.MIN_VALUE;

    RollbackPolicy(HealthMonitorConfig config) {
        this.config = config;
    }

    /** Whether batching is rolled back and not yet restored. Read without the monitor's lock. */
    boolean rolledBack() {
        return rolledBack;
    }

    /** What {@code BATCHED} did before the rollback, or {@code null}. */
    @Nullable Baseline baseline() {
        return baseline;
    }

    /**
     * Where the window of a check starts: the evaluation window back from {@code now}, and never before the
     * latest change of mode, so that the numbers of one mode never judge the other.
     */
    long windowStart(long now) {
        long since = now - config.evaluationWindow().toNanos();
        return modeChangedAtNanos != Long.MIN_VALUE && modeChangedAtNanos > since ? modeChangedAtNanos : since;
    }

    /** Whether the judge should compare {@code DIRECT} with {@code BATCHED}: rolled back, and in {@code DIRECT}. */
    boolean comparing(FederationMode mode) {
        return rolledBack && mode == FederationMode.DIRECT;
    }

    /** One check: the judgement at {@code now} (monotonic nanoseconds) in {@code mode}. */
    Decision decide(Judgement j, FederationMode mode, long now) {
        HealthStatus verdict = j.verdict();
        consecutiveCritical = verdict == HealthStatus.CRITICAL ? consecutiveCritical + 1 : 0;
        String info = null;
        if (heldReason != null && mode == FederationMode.BATCHED) {
            if (verdict != HealthStatus.CRITICAL && j.judged()) {
                info = "federation health: no longer CRITICAL; automatic rollback allowed again";
                heldReason = null;
            } else {
                // the rollback was undone because DIRECT was worse: CRITICAL until a judged check clears it
                verdict = HealthStatus.CRITICAL;
            }
        }
        HealthCheck comparison = j.comparison();
        boolean directWorse = comparison != null && comparison.status() == HealthStatus.CRITICAL;
        String reason = rolledBack ? rollbackReason : null;
        if (directWorse) {
            reason = reason + "; " + comparison.message();
        }
        Plan plan = Plan.NONE;
        String restoreReason = null;
        String warning = null;
        if (directWorse) {
            if (config.whenDirectIsWorse() == HealthMonitorConfig.DirectWorsePolicy.RESTORE_BATCHED) {
                plan = Plan.RESTORE_DIRECT_WORSE;
                restoreReason = "health monitor: DIRECT serves worse than BATCHED did, so the rollback is undone ("
                        + comparison.message() + ")";
            } else if (!directWorseWarned) {
                directWorseWarned = true;
                warning = "federation health: DIRECT serves worse than BATCHED did; holding DIRECT as configured, "
                        + "an operator decides: " + comparison.message();
            }
        } else if (verdict == HealthStatus.CRITICAL && consecutiveCritical >= config.criticalChecksToRollBack()
                && config.automaticRollback() && !rolledBack && mode == FederationMode.BATCHED) {
            if (heldReason == null) {
                plan = Plan.ROLL_BACK;
            }
        } else if (rolledBack && config.coolDown() != null && verdict != HealthStatus.CRITICAL
                && now - rolledBackAtNanos >= config.coolDown().toNanos()) {
            plan = Plan.RESTORE_AFTER_COOL_DOWN;
            restoreReason = "health monitor: cool-down of " + config.coolDown() + " passed after the rollback";
        }
        if (heldReason != null && mode == FederationMode.BATCHED && plan == Plan.NONE) {
            String note = "automatic rollback held: " + heldReason;
            reason = reason == null ? note : reason + "; " + note;
        }
        return new Decision(rolledBack ? HealthStatus.ROLLED_BACK : verdict, consecutiveCritical, reason, plan,
                restoreReason, warning, info);
    }

    /** The rollback action ran at {@code now} for {@code reason}; {@code before} is what BATCHED did. */
    void rolledBack(String reason, long now, Baseline before) {
        rolledBack = true;
        rollbackReason = reason;
        rolledBackAtNanos = now;
        baseline = before;
        consecutiveCritical = 0;
    }

    /**
     * The restore action ran. When {@code directWorse}, new automatic rollbacks are held until a judged check
     * clears them or an operator sets the mode.
     *
     * @return {@code true} when this cleared the rollback (an action that does not touch the switch), so
     *     the listeners are to be told
     */
    boolean restored(String reason, boolean directWorse) {
        if (directWorse) {
            heldReason = reason;
        }
        if (rolledBack) {
            clear();
            return true;
        }
        return false;
    }

    /**
     * The switch changed to {@code to} at {@code now}; {@code byOperator} when someone other than the monitor
     * changed it (an operator decides now, so a hold ends).
     *
     * @return {@code true} when this restored batching after a rollback, so the listeners are to be told
     */
    boolean modeChanged(FederationMode to, boolean byOperator, long now) {
        modeChangedAtNanos = now;
        consecutiveCritical = 0;
        if (byOperator) {
            heldReason = null;
        }
        if (to == FederationMode.BATCHED && rolledBack) {
            clear();
            return true;
        }
        return false;
    }

    private void clear() {
        rolledBack = false;
        rollbackReason = null;
        baseline = null;
        directWorseWarned = false;
        consecutiveCritical = 0;
    }
}
