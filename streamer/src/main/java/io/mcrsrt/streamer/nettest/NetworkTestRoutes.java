package io.mcrsrt.streamer.nettest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.mcrsrt.streamer.api.ApiException;
import io.mcrsrt.streamer.api.JsonRequestBody;
import io.mcrsrt.streamer.api.RouteGroup;
import io.mcrsrt.streamer.api.Router;
import io.mcrsrt.streamer.api.ServiceContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /api/network-test} (JSON, or the original form's fields) and {@code GET /api/network-test/servers}.
 * The default mechanism is the service's {@code NETWORK_TEST_MECHANISM}; the server list and its refresh come from
 * {@code NETWORK_TEST_SERVERS} and {@code NETWORK_TEST_REFRESH_MINUTES}. At most {@value #MAX_CONCURRENT_TESTS}
 * tests run at once per service: each one loads the path it measures.
 */
public final class NetworkTestRoutes implements RouteGroup {

    static final int MAX_CONCURRENT_TESTS = 2;

    @Override
    public void register(Router router, ServiceContext context) {
        NetworkTestApi api = new NetworkTestApi(context.config().networkTest());
        router.onClose(api);
        Handlers h = new Handlers(api, context.json());
        router.post("/api/network-test", h::test);
        router.get("/api/network-test/servers", h::servers);
    }

    /** One service's network test: its server catalog and its limit on concurrent tests. */
    private static final class Handlers {
        private final NetworkTestApi api;
        private final ObjectMapper json;
        private final Semaphore running = new Semaphore(MAX_CONCURRENT_TESTS);

        Handlers(NetworkTestApi api, ObjectMapper json) {
            this.api = api;
            this.json = json;
        }

        void test(Context c) throws java.io.IOException {
            Map<String, String> errors = new LinkedHashMap<>();
            NetworkTestRequest request = isJson(c) ? fromJson(c, errors) : fromForm(c, errors);
            if (!errors.isEmpty()) {
                // the fields that could be read are checked too, so that every problem is answered at once
                request.withDefaults(api.defaultMechanism()).validate().forEach(errors::putIfAbsent);
                throw new ApiException(400, "Invalid network test request.", errors);
            }
            if (!running.tryAcquire()) {
                throw new ApiException(429, MAX_CONCURRENT_TESTS + " network tests are already running; try again"
                        + " when one has finished (a test takes its duration plus a few seconds).");
            }
            try {
                c.json(api.test(request));
            } catch (InvalidNetworkTestException e) {
                throw new ApiException(400, "Invalid network test request.", e.fieldErrors());
            } finally {
                running.release();
            }
        }

        void servers(Context c) {
            c.json(api.servers());
        }

        private static boolean isJson(Context c) {
            return JsonRequestBody.isJson(c.contentType());
        }

        /**
         * The JSON body as a request. An empty body, a JSON {@code null}, JSON that is not an object, or text that is
         * not JSON is refused as the stream route refuses it; a field of the wrong type or an unknown field goes into
         * {@code errors} by name ({@link NetworkTestRequest#fromJson}).
         */
        private NetworkTestRequest fromJson(Context c, Map<String, String> errors) {
            byte[] raw = c.bodyAsBytes();
            JsonNode body;
            try {
                body = raw.length == 0 ? null : json.readTree(raw);
            } catch (java.io.IOException e) {
                throw new ApiException(400, "No JSON data provided",
                        Map.of("body", JsonRequestBody.notJson(e, "a JSON object of network test fields")));
            }
            if (body == null || !body.isObject()) {
                throw new ApiException(400, "No JSON data provided", Map.of("body", "The body is empty, null or not"
                        + " a JSON object. Send an object of network test fields, e.g. {\"mode\": \"manual\", "
                        + "\"manual_host\": \"192.0.2.10\"}, or {\"mode\": \"closest\"} for a test with every "
                        + "default."));
            }
            return NetworkTestRequest.fromJson(body, errors);
        }

        /**
         * The original form's fields, URL-encoded or multipart. Fields the form does not have are ignored, as the
         * original ignored them, unless no field of the form is there at all: that is JSON sent without its
         * Content-Type (curl's {@code -d} alone sends a form), and running a test with the defaults instead of the
         * one asked for would mislead.
         */
        private static NetworkTestRequest fromForm(Context c, Map<String, String> errors) {
            String type = c.contentType() == null ? "" : c.contentType().toLowerCase(Locale.ROOT);
            boolean form = type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
            if (!form && c.bodyAsBytes().length > 0) {
                throw new ApiException(415, "Request must be JSON (Content-Type: application/json) or the original "
                        + "form's fields (application/x-www-form-urlencoded or multipart/form-data).");
            }
            Map<String, String> fields = new HashMap<>();
            try {
                c.formParamMap().forEach((k, v) -> {
                    if (!v.isEmpty()) {
                        fields.put(k, v.getFirst());
                    }
                });
            } catch (Exception e) {
                // the servlet's multipart parser throws ServletException, undeclared through Javalin. The server
                // then closes the connection after the answer; saying so keeps a client from sending its next
                // request on a connection that is about to go.
                c.header(Header.CONNECTION, "close");
                errors.put("body", "The form could not be read (" + e.getMessage() + "). Send the fields URL-encoded,"
                        + " or as JSON with Content-Type: application/json.");
                return NetworkTestRequest.fromForm(Map.of());
            }
            if (!fields.isEmpty() && fields.keySet().stream().noneMatch(NetworkTestRequest.FIELDS::contains)) {
                errors.put("body", "None of the form's fields is a network test field (allowed: "
                        + String.join(", ", NetworkTestRequest.FIELDS) + "). To send JSON, add the header "
                        + "Content-Type: application/json.");
            }
            return NetworkTestRequest.fromForm(fields, errors);
        }
    }
}
