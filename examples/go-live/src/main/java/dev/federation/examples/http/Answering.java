package dev.federation.examples.http;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.federation.examples.http.SubgraphServer.Response;
import java.io.IOException;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A route of {@link SubgraphServer}: works out its answer on the request's thread, with the request id in the
 * MDC, and writes it. Whatever it throws, an {@code Error} too, is a 500 that says nothing of the cause.
 */
abstract class Answering extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(SubgraphServer.class);

    private final String method;

    /** A route answering {@code method} only ({@code GET} also answers {@code HEAD}); 405 otherwise. */
    Answering(String method) {
        this.method = method;
    }

    /** The answer to {@code request}, whose method is this route's. */
    abstract Response answer(Request request) throws Exception;

    @Override
    public final boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
        Object requestId = request.getAttribute(SubgraphServer.REQUEST_ID);
        Response answer;
        try (var mdc = MDC.putCloseable("request_id", requestId == null ? null : requestId.toString())) {
            String m = request.getMethod();
            if (m.equals(method) || (method.equals("GET") && m.equals("HEAD"))) {
                answer = answer(request);
            } else {
                answer = SubgraphServer.error(405, "use " + method);
            }
        } catch (Throwable e) { // an Error too: this request fails, the worker lives on
            // not Request.getPathInContext here: inside PathMappingsHandler it throws (a null context path), and
            // that NPE would replace the route's own failure in the log
            LOG.atError().setCause(e).addKeyValue("request_id", requestId).log("request failed");
            answer = SubgraphServer.error(500, "internal error");
        }
        SubgraphServer.send(request, response, callback, answer);
        return true;
    }

    /** The body read before the route ran, or {@code null} when it was not read (then it is not JSON). */
    static byte @Nullable [] body(Request request) {
        return (byte[]) request.getAttribute(SubgraphServer.BODY);
    }

    /** The body read before the route ran as a JSON object; {@code null} when there is none or it is not one. */
    static @Nullable Map<String, Object> jsonObject(Request request) {
        byte[] raw = body(request);
        if (raw == null || raw.length == 0) {
            return null;
        }
        try {
            return SubgraphServer.JSON.readValue(raw, new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the request declares a JSON body ({@code application/json}, parameters allowed). */
    static boolean isJson(Request request) {
        String type = request.getHeaders().get("Content-Type");
        if (type == null) {
            return false;
        }
        int semicolon = type.indexOf(';');
        String media = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        return media.equalsIgnoreCase(SubgraphServer.JSON_TYPE);
    }

    /** A {@code GET} route of the builder. */
    static final class Get extends Answering {
        private final SubgraphServer.Route route;

        Get(SubgraphServer.Route route) {
            super("GET");
            this.route = route;
        }

        @Override
        Response answer(Request request) {
            return route.handle();
        }
    }
}
