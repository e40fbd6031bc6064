package io.etcdguard.host;

/**
 * The two predictions: {@code now}, what an auto-detecting start would pick with the host as it is, and
 * {@code bootRace}, what it would pick if IPv4 were not up yet (no IPv4 address, no IPv4 default route), as
 * when {@code network-online.target} is reached on the first IPv6 address before DHCPv4 is done.
 */
public record NodeIpPredictions(AddressPrediction now, AddressPrediction bootRace) {}
