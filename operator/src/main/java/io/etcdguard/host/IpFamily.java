package io.etcdguard.host;

/** The two address families the host reading and the predictions deal with. */
public enum IpFamily {
  IPV4,
  IPV6;

  /** "IPv4" / "IPv6", as the report and the docs write them. */
  public String display() {
    return this == IPV4 ? "IPv4" : "IPv6";
  }
}
