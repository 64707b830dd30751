package io.tokenroll.cmserver.mimcm;

import io.tokenroll.protocol.mimcm.RequestType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A MIM CM profile template: what users enroll for. Smart card templates carry card settings; each certificate
 * entry names a CA template; {@code policies} maps a workflow (its wire name, e.g. {@code Enroll}) to its policy, and
 * a workflow without a policy is not offered.
 */
public record ProfileTemplate(UUID uuid, String name, String description, boolean smartcard,
    boolean virtualSmartcard, SmartcardSettings smartcardSettings, Map<String, WorkflowPolicy> policies,
    List<CertificateEntry> certificates) {

  public ProfileTemplate {
    if (uuid == null || name == null || certificates == null || certificates.isEmpty()) {
      throw new IllegalArgumentException("a profile template needs uuid, name and at least one certificate");
    }
    description = description == null ? "" : description;
    smartcard = smartcard || virtualSmartcard;
    smartcardSettings = smartcard && smartcardSettings == null ? SmartcardSettings.standard() : smartcardSettings;
    Map<String, WorkflowPolicy> byType = new LinkedHashMap<>();
    if (policies == null) {
      byType.put(RequestType.ENROLL.wireName(), WorkflowPolicy.selfService(0));
    } else {
      for (var e : policies.entrySet()) {
        RequestType type = RequestType.parse(e.getKey());
        if (type == null) {
          throw new IllegalArgumentException("template " + name + ": unknown workflow " + e.getKey());
        }
        byType.put(type.wireName(), e.getValue());
      }
    }
    policies = java.util.Collections.unmodifiableMap(byType);
    certificates = List.copyOf(certificates);
  }

  /** The policy of a workflow, or null when the template does not offer it. */
  public WorkflowPolicy policy(RequestType type) {
    return policies.get(type.wireName());
  }

  /** The entries the client makes CSRs for, in generation-options order. */
  public List<CertificateEntry> clientKeyEntries() {
    return certificates.stream().filter(c -> !c.serverGenerated()).toList();
  }
}
