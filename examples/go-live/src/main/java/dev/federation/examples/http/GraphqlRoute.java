package dev.federation.examples.http;

import dev.federation.examples.http.SubgraphServer.Interceptor;
import dev.federation.examples.http.SubgraphServer.Response;
import graphql.ExecutionResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;

/**
 * {@code POST /graphql}: a JSON body {@code {"query": ..., "variables": {...}, "operationName": ...}} (read
 * whole before the request took its slot), executed by the endpoint inside the interceptor, answered with the
 * result's specification map. 415 for any other content type, 400 for a body that is not such an object.
 */
final class GraphqlRoute extends Answering {

    private final GraphQlEndpoint endpoint;
    private final Interceptor interceptor;

    GraphqlRoute(GraphQlEndpoint endpoint, Interceptor interceptor) {
        super("POST");
        this.endpoint = endpoint;
        this.interceptor = interceptor;
    }

    @Override
    Response answer(Request request) {
        byte[] raw = body(request);
        if (raw == null || !isJson(request)) {
            return SubgraphServer.error(415, "the body must be sent as Content-Type: application/json");
        }
        Map<String, Object> body = jsonObject(request);
        if (body == null) {
            return SubgraphServer.error(400, "the body must be a JSON object with a 'query'");
        }
        Object query = body.get("query");
        if (!(query instanceof String)) {
            return SubgraphServer.error(400, "the body must be a JSON object with a string 'query'");
        }
        Object vars = body.get("variables");
        if (vars != null && !(vars instanceof Map)) {
            return SubgraphServer.error(400, "'variables' must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = vars == null ? Map.of() : (Map<String, Object>) vars;
        String operationName = body.get("operationName") instanceof String op ? op : null;
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.putIfAbsent(f.getLowerCaseName(), f.getValue());
        }
        headers.put("x-request-id", String.valueOf(request.getAttribute(SubgraphServer.REQUEST_ID)));
        Map<String, String> h = Collections.unmodifiableMap(headers);
        ExecutionResult result = interceptor.around(h,
                () -> endpoint.execute((String) query, variables, operationName, h));
        return Response.compactJson(200, result.toSpecification());
    }
}
