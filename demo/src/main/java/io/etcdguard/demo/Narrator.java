package io.etcdguard.demo;

import java.io.PrintWriter;

/** The demo's voice: numbered headings and lines, flushed at once so the story keeps pace with the work. */
public final class Narrator {
  private final PrintWriter out;

  public Narrator(PrintWriter out) {
    this.out = out;
  }

  public void heading(String text) {
    out.println();
    out.println("== " + text);
    out.flush();
  }

  public void say(String format, Object... args) {
    out.println(args.length == 0 ? format : String.format(format, args));
    out.flush();
  }

  public void print(String text) {
    out.print(text);
    out.flush();
  }
}
