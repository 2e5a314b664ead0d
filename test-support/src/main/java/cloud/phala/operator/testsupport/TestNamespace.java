package cloud.phala.operator.testsupport;

/** The namespace a test class owns. */
public record TestNamespace(String name) {
  @Override
  public String toString() {
    return name;
  }
}
