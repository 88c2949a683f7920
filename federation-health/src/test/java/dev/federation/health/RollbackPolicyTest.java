package dev.federation.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.federation.core.FederationMode;
import dev.federation.health.HealthJudge.Judgement;
import dev.federation.health.RollbackPolicy.Decision;
import dev.federation.health.RollbackPolicy.Plan;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The rollback policy as a state machine: verdicts and times in, plans out, table by table. */
class RollbackPolicyTest {

    private static final long SECOND = 1_000_000_000L;
    private static final HealthJudge.Baseline BASELINE = new HealthJudge.Baseline(0.01, 0, 100, true, "");

    private static Judgement verdict(HealthStatus status) {
        return verdict(status, null);
    }

    private static Judgement verdict(HealthStatus status, @Nullable HealthStatus comparison) {
        HealthCheck c = new HealthCheck(CheckName.ERROR_RATE, status, true, 0, 0.05, status.name());
        HealthCheck cmp = comparison == null ? null : new HealthCheck(CheckName.DIRECT_VS_BATCHED, comparison,
                true, 1, 0.01, "DIRECT " + comparison);
        HealthStatus worst = cmp == null ? status : status.worst(comparison);
        return new Judgement(cmp == null ? List.of(c) : List.of(c, cmp), worst, true, cmp);
    }

    /** A step: the verdict of a check at a time, the mode, and the plan expected. */
    private record Step(long atSeconds, FederationMode mode, Judgement judgement, Plan plan, HealthStatus status) {
    }

    private static void run(RollbackPolicy policy, Step... steps) {
        for (int i = 0; i < steps.length; i++) {
            Step s = steps[i];
            Decision d = policy.decide(s.judgement(), s.mode(), s.atSeconds() * SECOND);
            assertThat(d.plan()).as("step %d", i).isEqualTo(s.plan());
            assertThat(d.status()).as("step %d", i).isEqualTo(s.status());
            if (d.plan() == Plan.ROLL_BACK) {
                policy.rolledBack("reason", s.atSeconds() * SECOND, BASELINE);
            }
        }
    }

    private static final FederationMode B = FederationMode.BATCHED;
    private static final FederationMode D = FederationMode.DIRECT;
    private static final HealthStatus OK = HealthStatus.HEALTHY;
    private static final HealthStatus BAD = HealthStatus.CRITICAL;

    @Test
    void rollsBackOnTheConfiguredCountInARow() {
        run(new RollbackPolicy(HealthMonitorConfig.ofDefaults()),
                new Step(30, B, verdict(BAD), Plan.NONE, BAD),
                new Step(60, B, verdict(OK), Plan.NONE, OK),
                new Step(90, B, verdict(BAD), Plan.NONE, BAD),
                new Step(120, B, verdict(BAD), Plan.ROLL_BACK, BAD),
                new Step(150, D, verdict(BAD), Plan.NONE, HealthStatus.ROLLED_BACK),
                new Step(180, D, verdict(OK), Plan.NONE, HealthStatus.ROLLED_BACK));
    }

    @Test
    void degradedNeverCounts() {
        HealthStatus degraded = HealthStatus.DEGRADED;
        run(new RollbackPolicy(HealthMonitorConfig.custom().criticalChecksToRollBack(1).build()),
                new Step(30, B, verdict(degraded), Plan.NONE, degraded),
                new Step(60, B, verdict(degraded), Plan.NONE, degraded),
                new Step(90, B, verdict(degraded), Plan.NONE, degraded));
    }

    @Test
    void reportOnlyNeverPlansARollback() {
        run(new RollbackPolicy(HealthMonitorConfig.custom().automaticRollback(false).build()),
                new Step(30, B, verdict(BAD), Plan.NONE, BAD),
                new Step(60, B, verdict(BAD), Plan.NONE, BAD),
                new Step(90, B, verdict(BAD), Plan.NONE, BAD));
    }

    @Test
    void coolDownRestoresOnlyOnceItPassedAndTheCheckIsNotCritical() {
        RollbackPolicy policy = new RollbackPolicy(HealthMonitorConfig.custom()
                .coolDown(Duration.ofMinutes(5)).build());
        run(policy,
                new Step(30, B, verdict(BAD), Plan.NONE, BAD),
                new Step(60, B, verdict(BAD), Plan.ROLL_BACK, BAD),
                new Step(300, D, verdict(OK), Plan.NONE, HealthStatus.ROLLED_BACK),
                new Step(360, D, verdict(BAD), Plan.NONE, HealthStatus.ROLLED_BACK),
                new Step(390, D, verdict(OK), Plan.RESTORE_AFTER_COOL_DOWN, HealthStatus.ROLLED_BACK));
        assertThat(policy.modeChanged(B, false, 391 * SECOND)).isTrue();
        assertThat(policy.rolledBack()).isFalse();
    }

    @Test
    void directWorseIsUndoneThenHeldUntilAJudgedCheckClears() {
        RollbackPolicy policy = new RollbackPolicy(HealthMonitorConfig.ofDefaults());
        run(policy,
                new Step(30, B, verdict(BAD), Plan.NONE, BAD),
                new Step(60, B, verdict(BAD), Plan.ROLL_BACK, BAD));
        assertThat(policy.comparing(D)).isTrue();
        Decision d = policy.decide(verdict(BAD, BAD), D, 90 * SECOND);
        assertThat(d.plan()).isEqualTo(Plan.RESTORE_DIRECT_WORSE);
        assertThat(d.reason()).contains("reason; DIRECT CRITICAL");
        assertThat(policy.modeChanged(B, false, 91 * SECOND)).isTrue(); // the monitor's own restore
        policy.restored(d.restoreReason(), true);
        // held: CRITICAL stays CRITICAL and plans no rollback, however many in a row
        run(policy,
                new Step(120, B, verdict(BAD), Plan.NONE, BAD),
                new Step(150, B, verdict(BAD), Plan.NONE, BAD),
                new Step(180, B, verdict(BAD), Plan.NONE, BAD));
        Decision held = policy.decide(verdict(BAD), B, 210 * SECOND);
        assertThat(held.reason()).startsWith("automatic rollback held: health monitor: DIRECT serves worse");
        Decision cleared = policy.decide(verdict(OK), B, 240 * SECOND);
        assertThat(cleared.info()).contains("automatic rollback allowed again");
        run(policy,
                new Step(270, B, verdict(BAD), Plan.NONE, BAD),
                new Step(300, B, verdict(BAD), Plan.ROLL_BACK, BAD));
    }

    @Test
    void anOperatorsChangeEndsAHoldAndTheMonitorsOwnDoesNot() {
        RollbackPolicy policy = new RollbackPolicy(HealthMonitorConfig.ofDefaults());
        policy.restored("held for a test", true);
        policy.modeChanged(B, false, 10 * SECOND);
        assertThat(policy.decide(verdict(BAD), B, 30 * SECOND).reason()).contains("automatic rollback held");
        policy.modeChanged(D, true, 40 * SECOND);
        policy.modeChanged(B, true, 50 * SECOND);
        run(policy,
                new Step(80, B, verdict(BAD), Plan.NONE, BAD),
                new Step(110, B, verdict(BAD), Plan.ROLL_BACK, BAD));
    }

    @Test
    void holdPolicyWarnsOnceAndStaysDirect() {
        RollbackPolicy policy = new RollbackPolicy(HealthMonitorConfig.custom()
                .whenDirectIsWorse(HealthMonitorConfig.DirectWorsePolicy.HOLD).build());
        run(policy,
                new Step(30, B, verdict(BAD), Plan.NONE, BAD),
                new Step(60, B, verdict(BAD), Plan.ROLL_BACK, BAD));
        Decision first = policy.decide(verdict(BAD, BAD), D, 90 * SECOND);
        Decision second = policy.decide(verdict(BAD, BAD), D, 120 * SECOND);
        assertThat(first.plan()).isEqualTo(Plan.NONE);
        assertThat(first.warning()).contains("holding DIRECT as configured");
        assertThat(second.warning()).isNull();
        assertThat(second.status()).isEqualTo(HealthStatus.ROLLED_BACK);
    }

    @Test
    void theWindowStartsAtTheLatestChangeOfMode() {
        RollbackPolicy policy = new RollbackPolicy(HealthMonitorConfig.ofDefaults());
        assertThat(policy.windowStart(600 * SECOND)).isEqualTo(540 * SECOND);
        policy.modeChanged(D, true, 580 * SECOND);
        assertThat(policy.windowStart(600 * SECOND)).isEqualTo(580 * SECOND);
        assertThat(policy.windowStart(700 * SECOND)).isEqualTo(640 * SECOND);
    }
}
