package io.mcrsrt.streamer.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A cookie value that carries text fields and proves this service issued them:
 * {@code base64url(field|field|...).base64url(hmac)}, an HMAC-SHA256 over the first part. Only the last field may
 * itself contain {@code '|'}. Values over 1024 characters are refused unread. Stateless and thread-safe.
 */
final class SignedFields {
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();
    private static final int LONGEST = 1024;

    private final SecretKeySpec key;

    private SignedFields(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** Signs with {@code secret} ({@code SECRET_KEY}) itself. */
    static SignedFields keyedWith(String secret) {
        return new SignedFields(secret.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Signs with a key derived from this one for the use {@code purpose} names alone: a value signed by one can never
     * pass for a value of the other.
     */
    SignedFields derived(String purpose) {
        return new SignedFields(mac(purpose));
    }

    /** The value carrying {@code fields}. */
    String sign(String... fields) {
        String payload = ENC.encodeToString(String.join("|", fields).getBytes(StandardCharsets.UTF_8));
        return payload + "." + ENC.encodeToString(mac(payload));
    }

    /** The {@code count} fields of {@code value}, if it is well formed, correctly signed and has that many. */
    Optional<String[]> open(String value, int count) {
        if (value == null || value.length() > LONGEST) {
            return Optional.empty();
        }
        int dot = value.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String payload = value.substring(0, dot);
        try {
            if (!MessageDigest.isEqual(mac(payload), DEC.decode(value.substring(dot + 1)))) {
                return Optional.empty();
            }
            String[] fields = new String(DEC.decode(payload), StandardCharsets.UTF_8).split("\\|", count);
            return fields.length == count ? Optional.of(fields) : Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    private byte[] mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
