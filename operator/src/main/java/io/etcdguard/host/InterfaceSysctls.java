package io.etcdguard.host;

/**
 * The IPv6 privacy-address sysctls of one interface ({@code /proc/sys/net/ipv6/conf/<if>/}). A null value
 * could not be read (the reason is in {@link HostSnapshot#unreadable()}). {@code useTempaddr}: 0 off,
 * 1 make temporary addresses but prefer the public one, 2 make them and prefer them.
 */
public record InterfaceSysctls(String interfaceName, Integer useTempaddr, Long tempPreferredLifetime, Long tempValidLifetime) {}
