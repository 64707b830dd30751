package io.tokenroll.cmserver.mimcm;

import java.util.List;

/**
 * A profile template's policy for one workflow (Enroll, Renew, Unblock …): how many approvals a request needs
 * before it is Approved, what the enrollee is asked for, and the default priority.
 */
public record WorkflowPolicy(int approvalsNeeded, boolean collectComments, boolean collectRequestPriority,
    int defaultRequestPriority, boolean selfServiceEnabled, List<DataItem> dataCollection) {

  public WorkflowPolicy {
    dataCollection = dataCollection == null ? List.of() : List.copyOf(dataCollection);
  }

  public static WorkflowPolicy selfService(int approvalsNeeded) {
    return new WorkflowPolicy(approvalsNeeded, false, false, 0, true, List.of());
  }
}
