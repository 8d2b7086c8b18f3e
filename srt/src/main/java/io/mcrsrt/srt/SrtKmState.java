package io.mcrsrt.srt;

/** {@code SRT_KM_STATE}: the state of encryption key exchange. */
public enum SrtKmState {
    /** Not encrypted. */
    UNSECURED,
    /** Encrypted, key material being exchanged. */
    SECURING,
    /** Encrypted, keys exchanged, decrypting works. */
    SECURED,
    /** Encrypted by the peer, but this side has no passphrase. */
    NOSECRET,
    /** Encrypted, but the passphrase is wrong. */
    BADSECRET;

    static SrtKmState of(int value) {
        SrtKmState[] all = values();
        return value >= 0 && value < all.length ? all[value] : UNSECURED;
    }
}
