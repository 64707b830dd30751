package io.tokenroll.cmserver.mimcm;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.UUID;

/**
 * The JSON shapes of the MIM CM REST API, field for field and in MIM's order. Names come out PascalCase (see
 * {@code Json}); the camel-case exceptions MIM really has carry {@code @JsonProperty}.
 */
public final class Wire {
  private Wire() {
  }

  /** ProfileTemplateLimitedView (§1.3.1). */
  public record ProfileTemplateView(String name, String description, UUID uuid, boolean isSmartcardProfileTemplate,
      boolean isVirtualSmartcardProfileTemplate) {
  }

  /** Microsoft.Clm.Shared.Requests.Request (§1.4.1). */
  public record RequestView(UUID uuid, int requestType, int status, int flags, List<DataValue> dataCollection,
      int dataCollectionFlags, UUID originatorUserUuid, UUID targetUserUuid, String submitted, String completed,
      UUID newProfileUuid, UUID oldProfileUuid, UUID newSmartcardUuid, UUID oldSmartcardUuid, int priority,
      String comment, UUID profileTemplateUuid, String securityDescriptor, boolean isSmartcard,
      boolean isEnrollmentAgent, boolean isDataCollectionComplete) {
  }

  /** A data-collection item of a request: {@code {"Name": …, "Value": …}}. */
  public record DataValue(String name, String value) {
  }

  /** CertificateRequestGenerationOptions (§1.3.7). */
  public record GenerationOptions(String subject, String keyAlgorithmName, int keySize, String friendlyName,
      String hashAlgorithmName, List<String> keyStorageProviderNames, int exportable, int keyProtectionLevel,
      int keyUsages) {
  }

  /** Microsoft.Clm.Shared.Certificates.Certificate, one certificatedata item (§1.4.4), with MIM's mixed casing. */
  public record CertificateItem(String templateCommonName, int certificateId, int flags, boolean useLocalMachineStore,
      String error, String pkcs7, String pfx, @JsonProperty("IsExternal") boolean isExternal,
      @JsonProperty("isServerGenerated") boolean isServerGenerated, @JsonProperty("isPfx") boolean isPfx,
      @JsonProperty("isPkcs7") boolean isPkcs7, @JsonProperty("isKeyHistory") boolean isKeyHistory) {
  }

  /** Microsoft.Clm.Shared.Smartcards.Smartcard (§1.4.3). */
  public record SmartcardView(UUID uuid, int status, int flags, UUID parentSmartcardUuid, UUID primarySmartcardUuid,
      UUID permanentSmartcardUuid, UUID assignedUserUuid, UUID profileTemplateUuid, int profileTemplateVersion,
      String comment, String serialNumber, String middleware, String atr) {
  }

  /** A software profile (§1.3.16). */
  public record ProfileView(UUID uuid, int status, int flags, UUID parentProfileUuid, UUID primaryProfileUuid,
      UUID assignedUserUuid, UUID profileTemplateUuid, int profileTemplateVersion, String comment,
      List<String> profileOperations) {
  }

  /** X509ClmCertificate of a card or profile (§1.3.17). */
  public record ClmCertificateView(boolean isKeyHistory, boolean archivedOnCa, int certificateType,
      String templateCommonName, String serialNumber, String thumbprint) {
  }

  /** A certificate of {@code GET certificates}: the card/profile fields plus validity, issuer and requester. */
  public record UserCertificateView(boolean isKeyHistory, boolean archivedOnCa, int certificateType,
      String templateCommonName, String serialNumber, String thumbprint, String notAfter, String notBefore,
      String issuer, String requesterName, int status) {
  }

  /** A workflow policy (ProfileTemplatePolicy / EnrollPolicy members, §1.3.2). */
  public record PolicyView(int approvalsNeeded, String authorizedApprover, String authorizedEnrollmentAgent,
      String authorizedInitiator, boolean collectComments, boolean collectRequestPriority,
      int defaultRequestPriority, List<String> documents, boolean enabled, boolean enrollAgentRequired,
      Object oneTimePasswordPolicy, Object personalization, List<DataItemView> policyDataCollection,
      boolean selfServiceEnabled) {
  }

  /** A data-collection item definition of a policy. */
  public record DataItemView(String name, String description, boolean required) {
  }

  /** The smart card configuration of a template (SmartcardConfig members, §1.3.3). */
  public record SmartcardConfigView(Object adminPinPolicy, boolean allowSmartcardReuse, Object cardInitializationData,
      int cardInitializationType, String certificateLabel, String defaultAdminKeyHex, boolean diversifyAdminKey,
      boolean doNotInstallCaCertificates, boolean eraseOnOverflow, int maxNumberOfCertificates, int userPinOption,
      Object userPinPolicy) {
  }

  /** The ASP.NET Web API error body. */
  public record ErrorView(String message) {
  }
}
