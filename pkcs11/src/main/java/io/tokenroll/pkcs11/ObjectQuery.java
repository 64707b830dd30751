package io.tokenroll.pkcs11;

/**
 * Selects token objects by class, CKA_ID and CKA_LABEL; a null field matches anything.
 * The empty query lists every object the session can see.
 */
public record ObjectQuery(ObjectClass objectClass, KeyId id, String label) {
  public static ObjectQuery all() {
    return new ObjectQuery(null, null, null);
  }

  public static ObjectQuery byId(KeyId id) {
    return new ObjectQuery(null, id, null);
  }

  public static ObjectQuery byLabel(String label) {
    return new ObjectQuery(null, null, label);
  }

  public ObjectQuery withClass(ObjectClass c) {
    return new ObjectQuery(c, id, label);
  }

  public boolean isEmpty() {
    return objectClass == null && id == null && label == null;
  }
}
