package dev.federation.examples.http;

import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.FederationModeSwitch;
import dev.federation.examples.http.SubgraphServer.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.jetty.server.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The admin routes of {@link SubgraphServer}, behind {@code Authorization: Bearer <token>} (the scheme
 * case-insensitive, RFC 6750; the token compared as sent, in constant time). Refused with 403 when no admin
 * token is configured and with 401 when the header is missing or wrong; refusals write one WARN a minute at
 * most, with how many there were, so that a client hammering the routes cannot fill the log.
 * <ul>
 *   <li>{@code POST /admin/mode}: {@code {"mode": "DIRECT" | "BATCHED", "reason": "..."}};</li>
 *   <li>{@code POST /admin/cache/invalidate}: {@code {"typename": "Product", "keys": [{"id": "7"}]}} (key
 *       fields as in a representation; at most {@value #MAX_INVALIDATED_KEYS}) or {@code {"typename":
 *       "Product"}} for all of the type; on every replica when the cache is shared.</li>
 * </ul>
 */
final class AdminRoutes {

    /** The environment variable that holds the admin token. */
    static final String ADMIN_TOKEN_VARIABLE = "FEDERATION_ADMIN_TOKEN";
    /** Most keys one invalidation call may name. */
    static final int MAX_INVALIDATED_KEYS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(SubgraphServer.class);
    private static final long REFUSAL_WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final byte @Nullable [] token;
    private final AtomicLong lastRefusalWarn = new AtomicLong();
    private final AtomicLong refusedSinceWarn = new AtomicLong();

    /** Routes accepting {@code token}; {@code null} or empty refuses every call. */
    AdminRoutes(@Nullable String token) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code POST /admin/mode} on {@code modeSwitch}. */
    Answering mode(FederationModeSwitch modeSwitch) {
        return guarded("admin_mode", request -> switchMode(request, modeSwitch));
    }

    /** {@code POST /admin/cache/invalidate} on the caches of {@code entities}. */
    Answering invalidation(FederatedEntities entities) {
        return guarded("admin_cache_invalidate", request -> invalidate(request, entities));
    }

    /** A {@code POST} route running {@code route} for a request with the token and a JSON body (or none). */
    private Answering guarded(String operation, Function<Request, Response> route) {
        return new Answering("POST") {
            @Override
            Response answer(Request request) {
                Response refused = refused(request, operation);
                if (refused == null) {
                    refused = notJson(request);
                }
                return refused != null ? refused : route.apply(request);
            }
        };
    }

    /** Whether the request carries the admin token (none is configured: never). */
    boolean carriesToken(Request request) {
        byte[] expected = token;
        String auth = request.getHeaders().get("Authorization");
        String prefix = "Bearer ";
        // the scheme is case-insensitive (RFC 6750 via RFC 7235); the token is compared exactly as sent
        return expected != null && auth != null && auth.regionMatches(true, 0, prefix, 0, prefix.length())
                && MessageDigest.isEqual(expected, auth.substring(prefix.length()).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code null} when the request carries the admin token, else the answer that refuses it. */
    private @Nullable Response refused(Request request, String operation) {
        if (token == null) {
            return SubgraphServer.error(403, "the admin endpoint is disabled: set " + ADMIN_TOKEN_VARIABLE);
        }
        if (carriesToken(request)) {
            return null;
        }
        long now = System.nanoTime();
        refusedSinceWarn.incrementAndGet();
        long last = lastRefusalWarn.get();
        if ((last == 0 || now - last >= REFUSAL_WARN_INTERVAL_NANOS) && lastRefusalWarn.compareAndSet(last, now)) {
            long count = refusedSinceWarn.getAndSet(0);
            LOG.atWarn().addKeyValue("operation", operation).addKeyValue("outcome", "refused")
                    .addKeyValue("request_id", MDC.get("request_id")).addKeyValue("refused", count)
                    .log("{} refused: missing or wrong token ({} refused admin calls in the last minute at most)",
                            operation, count);
        } else {
            LOG.atDebug().addKeyValue("operation", operation).addKeyValue("outcome", "refused")
                    .addKeyValue("request_id", MDC.get("request_id"))
                    .log("{} refused: missing or wrong token", operation);
        }
        return SubgraphServer.error(401, "missing or wrong admin token");
    }

    /** 415 for a body that is not declared JSON; {@code null} when it is, or when there is none. */
    private static @Nullable Response notJson(Request request) {
        byte[] raw = Answering.body(request);
        return raw != null && raw.length > 0 && !Answering.isJson(request)
                ? SubgraphServer.error(415, "the body must be sent as Content-Type: application/json") : null;
    }

    private static Response switchMode(Request request, FederationModeSwitch modeSwitch) {
        Map<String, Object> body = Answering.jsonObject(request);
        if (body == null) {
            return SubgraphServer.error(400,
                    "the body must be a JSON object {\"mode\": \"DIRECT\" | \"BATCHED\"}");
        }
        FederationMode mode;
        try {
            mode = FederationMode.valueOf(String.valueOf(body.get("mode")).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return SubgraphServer.error(400, "'mode' must be DIRECT or BATCHED");
        }
        String reason = "admin" + (body.get("reason") instanceof String r && !r.isBlank() ? ": " + r : "");
        FederationMode previous = modeSwitch.set(mode, reason);
        LOG.atWarn().addKeyValue("operation", "admin_mode")
                .addKeyValue("outcome", previous == mode ? "unchanged" : "switched")
                .addKeyValue("request_id", MDC.get("request_id"))
                .addKeyValue("from", previous.name()).addKeyValue("to", mode.name())
                .log("federation mode set to {} by admin", mode);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("previous", previous.name());
        out.put("mode", mode.name());
        out.put("reason", reason);
        return Response.json(200, out);
    }

    private static Response invalidate(Request request, FederatedEntities entities) {
        Map<String, Object> body = Answering.jsonObject(request);
        Object typename = body == null ? null : body.get("typename");
        Object keys = body == null ? null : body.get("keys");
        if (!(typename instanceof String type) || (keys != null && !(keys instanceof List))) {
            return SubgraphServer.error(400, "the body must be {\"typename\": \"Product\", \"keys\": [{\"id\": \"7\"}]} "
                    + "or {\"typename\": \"Product\"}");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("typename", shortened(type));
        try {
            if (keys == null) {
                entities.invalidateAll(type);
                out.put("invalidated", "all");
            } else {
                List<?> list = (List<?>) keys;
                if (list.size() > MAX_INVALIDATED_KEYS) {
                    return SubgraphServer.error(400, "at most " + MAX_INVALIDATED_KEYS + " keys in one call");
                }
                for (Object k : list) { // all checked before any is dropped
                    if (!(k instanceof Map)) {
                        return SubgraphServer.error(400,
                                "each key must be an object of key fields, e.g. {\"id\": \"7\"}");
                    }
                }
                for (Object k : list) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> fields = (Map<String, Object>) k;
                    entities.invalidate(type, fields);
                }
                out.put("invalidated", list.size());
            }
        } catch (IllegalArgumentException e) {
            return SubgraphServer.error(400, shortened(e.getMessage()));
        }
        LOG.atInfo().addKeyValue("operation", "admin_cache_invalidate")
                .addKeyValue("request_id", MDC.get("request_id")).addKeyValue("typename", shortened(type))
                .log("cache of {} invalidated by admin: {}", shortened(type), out.get("invalidated"));
        return Response.json(200, out);
    }

    private static String shortened(@Nullable String s) {
        String v = String.valueOf(s).replaceAll("[^\\x20-\\x7E]", "?");
        return v.length() > 200 ? v.substring(0, 200) + "..." : v;
    }
}
