package io.mcrsrt.streamer.nettest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.mcrsrt.streamer.api.ApiException;
import io.mcrsrt.streamer.api.RouteGroup;
import io.mcrsrt.streamer.api.Router;
import io.mcrsrt.streamer.api.ServiceContext;
import java.util.HashMap;
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
            NetworkTestRequest request = isJson(c) ? fromJson(c) : fromForm(c);
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
            String type = c.contentType();
            return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
        }

        /**
         * The JSON body as a request. An empty body or a JSON {@code null} is refused as the stream route refuses it;
         * JSON that is not an object of these fields fails in the mapper, which the route's error mapping answers
         * with 400 as well.
         */
        private NetworkTestRequest fromJson(Context c) throws java.io.IOException {
            JsonNode body = json.readTree(c.bodyAsBytes());
            if (body == null || body.isNull() || body.isMissingNode()) {
                throw new ApiException(400, "No JSON data provided");
            }
            return json.treeToValue(body, NetworkTestRequest.class);
        }

        private static NetworkTestRequest fromForm(Context c) {
            Map<String, String> form = new HashMap<>();
            c.formParamMap().forEach((k, v) -> {
                if (!v.isEmpty()) {
                    form.put(k, v.getFirst());
                }
            });
            return NetworkTestRequest.fromForm(form);
        }
    }
}
