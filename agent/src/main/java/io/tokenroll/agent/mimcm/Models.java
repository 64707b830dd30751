package io.tokenroll.agent.mimcm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokenroll.protocol.mimcm.RequestStatus;
import io.tokenroll.protocol.mimcm.RequestType;
import io.tokenroll.protocol.mimcm.SmartcardStatus;
import io.tokenroll.protocol.mimcm.UserPinOption;
import java.util.List;
import java.util.UUID;

/** The MIM CM objects the agent reads (reference §1.4), as records. Absent fields are null or false. */
public final class Models {
  private Models() {
  }

  /** ProfileTemplateLimitedView. */
  public record ProfileTemplate(String name, String description, UUID uuid, boolean isSmartcardProfileTemplate,
                                boolean isVirtualSmartcardProfileTemplate) {
  }

  /** The parts of an EnrollPolicy the agent uses. */
  public record Policy(Integer approvalsNeeded, Boolean collectComments, Boolean enabled, JsonNode policyDataCollection) {
  }

  /** The smart-card configuration of a template (FIM SDK SmartcardConfig). */
  public record SmartcardConfiguration(String defaultAdminKeyHex, Boolean diversifyAdminKey,
                                       UserPinOption userPinOption) {
  }

  /** Microsoft.Clm.Shared.Requests.Request. */
  public record CmRequest(UUID uuid, RequestType requestType, RequestStatus status, Integer flags,
                          UUID profileTemplateUuid, UUID newSmartcardUuid, UUID newProfileUuid, String comment,
                          String submitted, String completed, Boolean isSmartcard, Boolean isEnrollmentAgent) {
  }

  /** One certificate request the client must generate. */
  public record GenerationOption(String subject, String keyAlgorithmName, Integer keySize, String friendlyName,
                                 String hashAlgorithmName, List<String> keyStorageProviderNames, Integer exportable,
                                 Integer keyProtectionLevel, Integer keyUsages) {
  }

  /** One item of a certificatedata answer (note MIM's mixed casing: IsExternal beside isPfx). */
  public record CertificateItem(String templateCommonName, Integer certificateId, Integer flags,
                                Boolean useLocalMachineStore, JsonNode error, String pkcs7, String pfx,
                                Boolean isExternal, Boolean isServerGenerated, Boolean isPfx, Boolean isPkcs7,
                                Boolean isKeyHistory) {
    /** The per-item error as text, or null. MIM does not document whether it is a string or an object. */
    public String errorText() {
      if (error == null || error.isNull() || error.isMissingNode()) {
        return null;
      }
      if (error.isTextual()) {
        return error.asText().isBlank() ? null : error.asText();
      }
      if (error.isObject() && error.size() == 0) {
        return null;
      }
      return error.toString();
    }

    public boolean pkcs7Item() {
      return Boolean.TRUE.equals(isPkcs7);
    }

    public boolean pfxItem() {
      return Boolean.TRUE.equals(isPfx);
    }
  }

  /** Microsoft.Clm.Shared.Smartcards.Smartcard. */
  public record Smartcard(UUID uuid, SmartcardStatus status, String serialNumber, String atr,
                          UUID profileTemplateUuid, UUID assignedUserUuid) {
  }

  /** The body of POST requests, in the canonical client form (reference §1.3.4). */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record CreateRequest(@JsonProperty("profiletemplateuuid") UUID profileTemplateUuid,
                              @JsonProperty("datacollection") List<java.util.Map<String, String>> dataCollection,
                              @JsonProperty("type") String type, @JsonProperty("comment") String comment,
                              @JsonProperty("smartcard") UUID smartcard) {
  }
}
