package io.etcdguard.cli;

public final class Main {
  public static void main(String[] args) {
    System.out.println("etcd-address-guard");
  }
}
