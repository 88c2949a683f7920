package dev.federation.spring;

import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationStatistics;
import dev.federation.health.FederationViews;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/federation}: the go-live runbook's three debug views, and the mode switch.
 * <ul>
 *   <li>{@code GET /actuator/federation}: all three views;</li>
 *   <li>{@code GET /actuator/federation/federation}: mode and batch statistics per type;</li>
 *   <li>{@code GET /actuator/federation/dataloader}: the entity loaders, the limits and the app loaders'
 *       batches;</li>
 *   <li>{@code GET /actuator/federation/cache_stats}: the cross-request caches;</li>
 *   <li>{@code POST /actuator/federation} with {@code {"mode": "DIRECT" | "BATCHED", "reason": "..."}}: switches
 *       the mode. Read-only by default: {@code management.endpoint.federation.access=unrestricted} enables it
 *       (and secure it as the rest of the app).</li>
 * </ul>
 *
 * <p>Public API.
 */
@Endpoint(id = "federation", defaultAccess = Access.READ_ONLY)
public class FederationEndpoint {

    private final FederatedEntities entities;
    private final FederationStatistics statistics;

    private final boolean modeApplies;

    /**
     * The endpoint over {@code entities} and its {@code statistics}.
     *
     * @param modeApplies {@code false} when another resolver (Spring's {@code @EntityMapping} methods) answers
     *     {@code _entities}: the mode write is then refused with 400
     */
    public FederationEndpoint(FederatedEntities entities, FederationStatistics statistics, boolean modeApplies) {
        this.entities = entities;
        this.statistics = statistics;
        this.modeApplies = modeApplies;
    }

    /** The three views. */
    @ReadOperation
    public Map<String, Object> views() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("federation", federation());
        out.put("dataloader", dataLoader());
        out.put("cache_stats", cacheStats());
        return out;
    }

    /** One view: {@code federation}, {@code dataloader} or {@code cache_stats}; {@code null} (404) for another. */
    @ReadOperation
    public @Nullable Map<String, Object> view(@Selector String view) {
        return switch (view) {
            case "federation" -> federation();
            case "dataloader" -> dataLoader();
            case "cache_stats" -> cacheStats();
            default -> null;
        };
    }

    /**
     * Sets the mode.
     *
     * @param mode {@code DIRECT} or {@code BATCHED}
     * @param reason why, for the logs and the observers
     */
    @WriteOperation
    public Map<String, Object> mode(String mode, @Nullable String reason) {
        FederationMode m;
        try {
            m = FederationMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String why = "mode must be DIRECT or BATCHED, was "
                    + (mode.length() > 32 ? mode.substring(0, 32) + "..." : mode);
            throw new InvalidEndpointRequestException(why, why);
        }
        if (!modeApplies) {
            String why = "_entities is resolved by Spring for GraphQL's @EntityMapping methods here: the mode "
                    + "applies to the library's own resolution only";
            throw new InvalidEndpointRequestException(why, why);
        }
        String why = "actuator" + (reason == null || reason.isBlank() ? "" : ": " + reason);
        FederationMode previous = entities.modeSwitch().set(m, why);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("previous", previous.name());
        out.put("mode", m.name());
        out.put("reason", why);
        return out;
    }

    private Map<String, Object> federation() {
        return FederationViews.federation(entities, statistics);
    }

    private Map<String, Object> dataLoader() {
        return FederationViews.dataLoader(entities, statistics, Set.of());
    }

    private Map<String, Object> cacheStats() {
        return FederationViews.cacheStats(entities);
    }
}
