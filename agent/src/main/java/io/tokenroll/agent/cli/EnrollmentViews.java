package io.tokenroll.agent.cli;

import io.tokenroll.agent.enroll.Enrollment;
import io.tokenroll.agent.enroll.ItemOutcome;
import io.tokenroll.agent.enroll.KeyPlan;
import java.util.List;

/** What status and the enrollment commands show of an enrollment. */
final class EnrollmentViews {
  private EnrollmentViews() {
  }

  record KeyView(int index, String keySpec, String label, String id, String stage, boolean certified) {
  }

  record ItemView(int item, String result, String detail, String keyId, String serial, String notAfter) {
  }

  record View(String id, String workflow, String protocol, String state, String template, String token,
              String request, Integer caRequest,
              String smartcard, String serverStatus, String waitingFor, String stuck, String lastError,
              String supersededBy, String created, String updated, String renewAfter, List<KeyView> keys,
              List<ItemView> items) {
  }

  static View of(Enrollment e) {
    return new View(e.id.value(), e.workflow.toString(), e.protocol.toString(), e.state.name(), e.template,
        e.tokenLabel(), e.requestId == null ? null : e.requestId.toString(), e.caRequestId,
        e.smartcardUuid == null ? null : e.smartcardUuid.toString(), e.serverStatus, waitingFor(e), e.stuck,
        e.lastError, e.supersededBy == null ? null : e.supersededBy.value(), String.valueOf(e.created),
        String.valueOf(e.updated),
        e.renewAfter == null ? null : e.renewAfter.toString(), e.keys.stream().map(EnrollmentViews::key).toList(),
        e.outcomes.stream().map(EnrollmentViews::item).toList());
  }

  private static KeyView key(KeyPlan k) {
    return new KeyView(k.index + 1, k.keySpec, k.label, k.finalId != null ? k.finalId : k.provisionalId,
        k.stage.name(), k.certified);
  }

  private static ItemView item(ItemOutcome o) {
    return new ItemView(o.item + 1, o.result, o.detail, o.keyId, o.certificateSerial,
        o.notAfter == null ? null : o.notAfter.toString());
  }

  static String waitingFor(Enrollment e) {
    if (e.notBefore != null) {
      return "the server (backing off until " + e.notBefore + " after " + e.attempts + " attempt(s): " + e.stuck
          + ")";
    }
    if (e.stuck != null) {
      return "the server (unreachable after " + e.attempts + " attempt(s): " + e.stuck + ")";
    }
    if (e.waiting == io.tokenroll.agent.enroll.Waiting.TOKEN_ABSENT) {
      return "the token '" + e.tokenLabel() + "' (not present: insert it, then 'tokenroll resume " + e.id + "')";
    }
    if (e.waiting == io.tokenroll.agent.enroll.Waiting.PIN_NEEDED) {
      return "a PIN (" + (e.lastError == null ? "" : e.lastError + "; ") + "give one with 'tokenroll resume " + e.id
          + " --pin-source …')";
    }
    return switch (e.state) {
      case PENDING_APPROVAL -> e.caRequestId != null && e.requestId == null
          ? "a CA manager to issue CA request " + e.caRequestId : "approval of request " + e.requestId;
      case COMPLETED, ABANDONED, DENIED, CANCELED -> null;
      default -> e.lastError != null ? "attention: " + e.lastError : "tokenroll resume";
    };
  }
}
