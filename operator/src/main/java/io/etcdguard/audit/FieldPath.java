package io.etcdguard.audit;

/**
 * Where a value sits in an input file ({@code items[3].metadata.labels.zone}), for error messages. A path is a
 * chain of small objects and is spelled out only when an error names it: the Node reader passes one to every
 * field it reads, and building those strings for 5,000 Nodes that have no error cost more than reading them.
 */
final class FieldPath {
  /** The top of the document; it prints as nothing. */
  static final FieldPath ROOT = new FieldPath(null, null, -1);

  private final FieldPath parent;
  private final String name;
  private final int index;

  private FieldPath(FieldPath parent, String name, int index) {
    this.parent = parent;
    this.name = name;
    this.index = index;
  }

  /** The field {@code name} of the object at this path. */
  FieldPath field(String name) {
    return new FieldPath(this, name, -1);
  }

  /** The element {@code index} of the list at this path. */
  FieldPath index(int index) {
    return new FieldPath(this, null, index);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    appendTo(sb);
    return sb.toString();
  }

  private void appendTo(StringBuilder sb) {
    if (parent == null) {
      return;
    }
    parent.appendTo(sb);
    if (name != null) {
      sb.append(sb.isEmpty() ? "" : ".").append(name);
    } else {
      sb.append('[').append(index).append(']');
    }
  }
}
