package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of random and mutated requests: none may produce a 500, and the server and a running stream must be
 * unaffected. The seed is fixed so a failure can be replayed; it is printed in the assertion message.
 */
class FuzzTest {
    private static final long SEED = 20261122L;
    private static final List<String> FIELDS = List.of("mode", "input_type", "rtp_encapsulation", "port",
            "target_address", "target_port", "file_path", "loop", "multicast_address", "multicast_port",
            "multicast_interface", "multicast_source", "latency", "overhead_bandwidth", "encryption", "passphrase", "qos",
            "smoothing_latency_ms", "stream_id", "x", "", "__proto__", "PORT");
    private static final String VALID = "{\"input_type\":\"colorbar_720p50\",\"port\":10002,\"latency\":200}";

    @TempDir
    Path root;

    @Test
    void randomAndMutatedBodiesNeverCause500OrDisturbARunningStream() throws Exception {
        try (TestService svc = TestService.withFakeEngine(root)) {
            assertThat(svc.postJson("/api/streams", "{\"input_type\":\"colorbar_720p50\",\"port\":10001}").status())
                    .isEqualTo(201);
            String before = svc.get("/api/streams/10001").json().get("config").toString();
            Random random = new Random(SEED);
            fuzzBodies(svc, "/api/streams", 3000, random);
            // The other JSON routes get the same kinds of bodies; none of them names a host to test, so a network
            // test that runs is "closest" without a server list, answered at once.
            fuzzBodies(svc, "/api/network-test", 600, random);
            fuzzBodies(svc, "/api/pairs", 1500, random);
            for (String path : new String[] {"/api/streams", "/api/network-test", "/api/pairs"}) {
                for (String body : MALFORMED) {
                    TestService.Reply r = svc.postJson(path, body);
                    assertThat(r.status()).as("%s body %s", path, body).isEqualTo(400);
                    assertThat(r.json().get("error").asText()).as("%s body %s", path, body)
                            .isEqualTo("No JSON data provided");
                }
                for (String body : NOT_OBJECTS) {
                    assertThat(svc.postJson(path, body).status()).as("%s body %s", path, body).isEqualTo(400);
                }
            }
            String[] methods = {"GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"};
            String[] paths = {"/api/streams/", "/api/stats/", "/api/debug/", "/api/media/", "/media_info/", "/api/",
                    "/static/", "/webjars/", "/stream/", "/"};
            for (int i = 0; i < 1500; i++) {
                String path = paths[random.nextInt(paths.length)] + randomPathPart(random);
                String method = methods[random.nextInt(methods.length)];
                HttpRequest.Builder b = svc.request(path).header("X-API-Key", TestService.API_KEY)
                        .method(method, HttpRequest.BodyPublishers.ofString(random.nextBoolean() ? VALID : ""));
                TestService.Reply r;
                try {
                    r = svc.send(b.build());
                } catch (AssertionError first) {
                    // Jetty closes a connection whose request body it did not read; the client may already have
                    // pooled it for this request. A crashed server would fail the second attempt as well.
                    try {
                        r = svc.send(b.build());
                    } catch (AssertionError e) {
                        throw new AssertionError("seed " + SEED + " " + method + " " + path, e);
                    }
                }
                assertThat(r.status()).as("seed %d %s %s", SEED, method, path).isLessThan(500);
            }
            TestService.Reply after = svc.get("/api/streams/10001");
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.json().get("config").toString()).isEqualTo(before);
            assertThat(svc.get("/api/streams").json().get("data").size()).isEqualTo(1);
            assertThat(svc.send(svc.request("/health").GET().build()).body()).isEqualTo("OK");
        }
    }

    /** Bodies every JSON route must refuse with 400 "No JSON data provided". */
    private static final List<String> MALFORMED = List.of("", "null", " null ", "{", "{\"port\":", "not json",
            "\u0000");
    /** JSON that is not an object of fields: refused with 400 as well. */
    private static final List<String> NOT_OBJECTS = List.of("[]", "[{}]", "\"text\"", "42", "true", "1e999");

    /**
     * Posts random objects, mutations of a valid stream request and random text to a route; none may get a 500, and
     * every answer is JSON. A stream or pair that starts is stopped again.
     */
    private static void fuzzBodies(TestService svc, String path, int count, Random random) throws Exception {
        for (int i = 0; i < count; i++) {
            String body = switch (i % 3) {
                case 0 -> randomObject(random).toString();
                case 1 -> mutate(VALID, random);
                default -> randomBytes(random);
            };
            TestService.Reply r = svc.postJson(path, body);
            assertThat(r.status()).as("seed %d %s case %d body %s", SEED, path, i, body).isLessThan(500);
            assertThat(r.json().isObject()).as(body).isTrue();
            if (r.status() >= 400) {
                assertThat(r.json().has("error")).as(body).isTrue();
            }
            if (r.status() == 201 && r.json().has("stream_key")) {
                svc.engine.stop(r.json().get("stream_key").asInt());
            }
            if (r.status() == 201 && r.json().has("pair_id")) {
                svc.engine.stopPair(r.json().get("pair_id").asInt());
            }
        }
    }

    private static JsonNode randomValue(Random r, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (r.nextInt(depth > 2 ? 8 : 10)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(r.nextBoolean());
            case 2 -> f.numberNode(r.nextInt(70000) - 1000);
            case 3 -> f.numberNode(r.nextDouble() * 1e6);
            case 4 -> f.numberNode(new java.math.BigInteger(200, r));
            case 5 -> f.textNode(List.of("listener", "caller", "file", "multicast", "colorbar_720p50", "aes-128",
                    "239.1.1.1", "../../etc/passwd", "a.ts", "ff02::1", "", "10001").get(r.nextInt(12)));
            case 6 -> f.textNode(randomString(r, r.nextInt(100)));
            case 7 -> f.numberNode(10001 + r.nextInt(10));
            case 8 -> {
                var a = f.arrayNode();
                for (int i = 0; i < r.nextInt(4); i++) {
                    a.add(randomValue(r, depth + 1));
                }
                yield a;
            }
            default -> randomObject(r, depth + 1);
        };
    }

    static ObjectNode randomObject(Random r) {
        return randomObject(r, 0);
    }

    private static ObjectNode randomObject(Random r, int depth) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 1 + r.nextInt(8); i++) {
            o.set(FIELDS.get(r.nextInt(FIELDS.size())), randomValue(r, depth));
        }
        return o;
    }

    static String mutate(String s, Random r) {
        StringBuilder b = new StringBuilder(s);
        for (int i = 0; i < 1 + r.nextInt(4); i++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, "{}[]\",:0-e.\\u\0".charAt(r.nextInt(14)));
                default -> b.setCharAt(at, (char) (32 + r.nextInt(95)));
            }
        }
        return b.toString();
    }

    static String randomBytes(Random r) {
        return randomString(r, r.nextInt(300));
    }

    private static String randomString(Random r, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append((char) (r.nextInt(10) == 0 ? r.nextInt(0xD7FF) : 32 + r.nextInt(95)));
        }
        return b.toString();
    }

    private static String randomPathPart(Random r) {
        String[] parts = {"10001", "0", "65536", "-1", "abc", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "%00", "x/y/z",
                "10001/events", "10001/history", "99999999999999999999", "%E2%82%AC", "info", "clip.ts/info", ""};
        return parts[r.nextInt(parts.length)];
    }
}
