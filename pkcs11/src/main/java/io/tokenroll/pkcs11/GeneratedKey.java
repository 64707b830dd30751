package io.tokenroll.pkcs11;

import java.security.PublicKey;

/** A key pair just generated on a token: where it lives and its public half. */
public record GeneratedKey(KeyRef ref, KeySpec spec, PublicKey publicKey) {
}
