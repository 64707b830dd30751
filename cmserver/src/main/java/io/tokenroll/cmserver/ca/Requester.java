package io.tokenroll.cmserver.ca;

/**
 * Who asks the CA for a certificate: the authenticated user name (the CA database's requester name, like
 * {@code DOMAIN&#92;user}) and the UPN the CA writes into the subject alternative name.
 */
public record Requester(String name, String upn) {
  public Requester {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("requester name is required");
    }
  }
}
