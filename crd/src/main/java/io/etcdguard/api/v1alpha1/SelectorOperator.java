package io.etcdguard.api.v1alpha1;

/**
 * The operators a label selector requirement may use. Only the CRD schema uses this type (through a
 * schema swap on {@code LabelSelectorRequirement.operator}), so the API server refuses any other value.
 */
public enum SelectorOperator {
  In,
  NotIn,
  Exists,
  DoesNotExist
}
