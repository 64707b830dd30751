package io.tokenroll.pkcs11;

import java.util.List;
import java.util.Set;

/**
 * What a token can do, from its mechanism list, its flags and the quirks table. Callers decide by capability,
 * never by product name.
 *
 * @param keySpecs key pairs the token can generate
 * @param signatureAlgorithms schemes it can sign with (combined mechanism or raw mechanism plus host digest)
 * @param keyImport whether private keys can be written with C_CreateObject (PFX import)
 * @param parallelObjectWrites whether token objects may be created from several sessions at once
 * @param readOnly token is write-protected (nothing can be generated or stored)
 * @param soLoginForKeyGeneration key generation needs the security officer rather than the user
 * @param keySlots where keys can go when the token has fixed slots (PIV: 9A, 9C, 9D, 9E, 82–95, as ids 01–18) — a
 *     key is generated into a slot, overwriting what was there; empty when keys go anywhere under any id
 * @param uniqueIssuerSerial the token refuses a second certificate with the same issuer and serial
 * @param keyGenerationsPerInitialization how many key pairs one C_Initialize can generate (0 = unlimited)
 * @param keyUsageRestrictable generated keys get exactly the usages asked for; when false the token adds its own
 *     (a TPM key both signs and decrypts)
 * @param localAttributeReliable keys generated on the token carry CKA_LOCAL=true (NSS says false); when false,
 *     CKA_LOCAL proves nothing about where a key was made
 * @param exportableKeys a key pair can be generated extractable when a caller asks (a TPM refuses)
 * @param keyDeletion private keys can be destroyed (a PIV card's can only be overwritten by a new key)
 * @param caCertificateStore CA certificates can be stored beside the user's (a PIV card has no place for them)
 * @param administratorKey key generation and writes need the card administrator's challenge-response first
 *     ({@link TokenSession#authenticateAdministrator}), as the PIV card management key
 */
public record TokenCapabilities(Set<KeySpec> keySpecs, Set<SignatureAlgorithm> signatureAlgorithms,
                                boolean keyImport, boolean parallelObjectWrites, boolean readOnly,
                                boolean soLoginForKeyGeneration, List<KeyId> keySlots, boolean uniqueIssuerSerial,
                                int keyGenerationsPerInitialization, boolean keyUsageRestrictable,
                                boolean localAttributeReliable, boolean exportableKeys, boolean keyDeletion,
                                boolean caCertificateStore, boolean administratorKey) {

  public TokenCapabilities {
    keySlots = List.copyOf(keySlots);
  }

  /** The token places keys in fixed slots and names them by slot; it refuses other ids. */
  public boolean fixedKeyIds() {
    return !keySlots.isEmpty();
  }

  public boolean canGenerate(KeySpec spec) {
    return keySpecs.contains(spec);
  }

  public boolean canSign(SignatureAlgorithm algorithm) {
    return signatureAlgorithms.contains(algorithm);
  }
}
