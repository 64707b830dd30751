package io.tokenroll.pkcs11;

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
 * @param fixedKeyIds the token assigns CKA_IDs itself (slots) and refuses others
 * @param uniqueIssuerSerial the token refuses a second certificate with the same issuer and serial
 * @param keyGenerationsPerInitialization how many key pairs one C_Initialize can generate (0 = unlimited)
 * @param keyUsageRestrictable generated keys get exactly the usages asked for; when false the token adds its own
 *     (a TPM key both signs and decrypts)
 * @param localAttributeReliable keys generated on the token carry CKA_LOCAL=true (NSS says false); when false,
 *     CKA_LOCAL proves nothing about where a key was made
 * @param exportableKeys a key pair can be generated extractable when a caller asks (a TPM refuses)
 */
public record TokenCapabilities(Set<KeySpec> keySpecs, Set<SignatureAlgorithm> signatureAlgorithms,
                                boolean keyImport, boolean parallelObjectWrites, boolean readOnly,
                                boolean soLoginForKeyGeneration, boolean fixedKeyIds, boolean uniqueIssuerSerial,
                                int keyGenerationsPerInitialization, boolean keyUsageRestrictable,
                                boolean localAttributeReliable, boolean exportableKeys) {

  public boolean canGenerate(KeySpec spec) {
    return keySpecs.contains(spec);
  }

  public boolean canSign(SignatureAlgorithm algorithm) {
    return signatureAlgorithms.contains(algorithm);
  }
}
