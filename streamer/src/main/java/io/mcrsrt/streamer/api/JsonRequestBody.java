package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the JSON body of a route that starts something, refusing it in the original's words: 415 "Request must be
 * JSON" without a JSON content type, 400 "No JSON data provided" for a body that is not JSON or carries nothing.
 */
public final class JsonRequestBody {
    private JsonRequestBody() {
    }

    /**
     * The body as JSON; whether it is the object the route expects is left to the route's validator.
     *
     * @param what      what the body should be, for the messages ("a JSON object of stream fields")
     * @param example   how to fill it, appended to the message for an empty body
     * @throws ApiException 415 or 400 as above
     */
    static JsonNode read(Context c, ObjectMapper json, String what, String example) {
        if (!isJson(c.contentType())) {
            throw new ApiException(415, "Request must be JSON", Map.of("Content-Type", "'"
                    + (c.contentType() == null ? "none" : c.contentType()) + "' is not JSON: send the body as "
                    + what + " with the header Content-Type: application/json."));
        }
        byte[] raw = c.bodyAsBytes();
        JsonNode body;
        try {
            body = raw.length == 0 ? null : json.readTree(raw);
        } catch (IOException e) {
            throw new ApiException(400, "No JSON data provided", Map.of("body", notJson(e, what)));
        }
        if (carriesNothing(body)) {
            throw new ApiException(400, "No JSON data provided", Map.of("body", "The body is empty (or {}, [], null,"
                    + " \"\", 0 or false). Send " + what + ", " + example + "; see /api/openapi.json."));
        }
        return body;
    }

    /**
     * Whether a Content-Type names JSON, as Flask's {@code request.is_json} judges it: {@code application/json} or
     * {@code application/*+json}, parameters such as {@code charset} aside, in any case.
     */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
                .toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }

    /** What is wrong with a body Jackson could not read, where, and what to send instead. */
    public static String notJson(IOException e, String what) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith("Duplicate field '")) {
            String field = message.substring("Duplicate field '".length(), message.indexOf('\'', 17));
            return "The body gives field '" + field + "' more than once. Send each field once.";
        }
        String where = e instanceof JacksonException je && je.getLocation() != null
                ? " at line " + je.getLocation().getLineNr() + ", column " + je.getLocation().getColumnNr() : "";
        return "The body is not valid JSON" + where + ". Send " + what + ".";
    }

    /**
     * Whether the body is what the original's {@code if not request.get_json()} treats as no data: nothing, null, or
     * a JSON value Python reads as false ({@code {}}, {@code []}, {@code ""}, {@code 0}, {@code false}).
     */
    static boolean carriesNothing(JsonNode body) {
        return body == null || body.isNull() || body.isMissingNode() || body.isContainerNode() && body.isEmpty()
                || body.isTextual() && body.textValue().isEmpty() || body.isNumber() && body.asDouble() == 0
                || body.isBoolean() && !body.booleanValue();
    }
}
