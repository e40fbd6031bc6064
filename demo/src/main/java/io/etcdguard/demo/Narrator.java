package io.etcdguard.demo;

import java.io.PrintWriter;

/** The demo's voice: numbered acts, headings and lines, flushed at once so the story keeps pace with the work. */
public final class Narrator {
  private final PrintWriter out;
  private int acts;

  public Narrator(PrintWriter out) {
    this.out = out;
  }

  /** A numbered heading: the next act of the story ("== 3. text"). */
  public void act(String text) {
    heading(++acts + ". " + text);
  }

  /** A heading without a number. */
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
