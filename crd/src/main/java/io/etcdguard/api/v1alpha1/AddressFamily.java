package io.etcdguard.api.v1alpha1;

/** The address family a policy requires of every peer URL. */
public enum AddressFamily {
  IPv4,
  IPv6,
  Any
}
