package io.etcdguard.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"etcd-address-guard " + (v == null ? "(development build)" : v)};
  }
}
