package io.tokenroll.pkcs11;

/** One mechanism a token offers, with the key sizes it accepts (bits for RSA and EC, as the token reports). */
public record MechanismSupport(String name, long code, long minKeySize, long maxKeySize, long flags) {
}
