package io.etcdguard.status;

/** The fixed reasons of the status Conditions (docs/crd-reference.md lists them). */
public final class ConditionReasons {
  public static final String CHECK_SUCCEEDED = "CheckSucceeded";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String TLS_MATERIAL_INVALID = "TlsMaterialInvalid";
  public static final String ETCD_UNREACHABLE = "EtcdUnreachable";
  public static final String MEMBER_LIST_SUCCEEDED = "MemberListSucceeded";
  public static final String ALL_MEMBERS_COMPLY = "AllMembersComply";
  public static final String MEMBERS_VIOLATE_POLICY = "MembersViolatePolicy";
  public static final String CHECK_FAILED = "CheckFailed";

  private ConditionReasons() {}
}
