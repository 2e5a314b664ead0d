package cloud.phala.operator.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The operator image as operator/pom.xml's jib-maven-plugin configures it. */
final class OperatorImage {
  static final Path OPERATOR_POM = Path.of("..", "operator", "pom.xml");
  static final Path PARENT_POM = Path.of("..", "pom.xml");
  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

  private final Element pom;
  private final Element parent;
  private final Element plugin;

  private OperatorImage(Element pom, Element parent) {
    this.pom = pom;
    this.parent = parent;
    this.plugin =
        jib(child(pom, "build").flatMap(b -> child(b, "plugins")).orElseThrow())
            .orElseThrow(() -> new AssertionError("operator/pom.xml has no jib-maven-plugin"));
  }

  static OperatorImage read() {
    return new OperatorImage(parse(OPERATOR_POM), parse(PARENT_POM));
  }

  /** The jib-maven-plugin element of operator/pom.xml's build plugins. */
  Element plugin() {
    return plugin;
  }

  /** The jib-maven-plugin element of the parent's build plugins, if it declares one. */
  Optional<Element> parentPlugin() {
    return child(parent, "build").flatMap(b -> child(b, "plugins")).flatMap(OperatorImage::jib);
  }

  /** The jib-maven-plugin element of the parent's pluginManagement. */
  Optional<Element> managedPlugin() {
    return child(parent, "build")
        .flatMap(b -> child(b, "pluginManagement"))
        .flatMap(m -> child(m, "plugins"))
        .flatMap(OperatorImage::jib);
  }

  /** Text at a path under the plugin's configuration, with ${properties} of the poms resolved. */
  Optional<String> config(String... path) {
    Optional<Element> at = child(plugin, "configuration");
    for (String name : path) {
      at = at.flatMap(e -> child(e, name));
    }
    return at.map(e -> resolve(e.getTextContent().trim()));
  }

  List<String> jvmFlags() {
    List<String> flags = new ArrayList<>();
    children(
            child(plugin, "configuration")
                .flatMap(c -> child(c, "container"))
                .flatMap(c -> child(c, "jvmFlags"))
                .orElseThrow())
        .forEach(flag -> flags.add(resolve(flag.getTextContent().trim())));
    return flags;
  }

  Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    child(plugin, "configuration")
        .flatMap(c -> child(c, "container"))
        .flatMap(c -> child(c, "labels"))
        .ifPresent(
            l ->
                children(l)
                    .forEach(
                        label ->
                            labels.put(
                                label.getTagName(), resolve(label.getTextContent().trim()))));
    return labels;
  }

  /** The names in the parent pom's {@code <licenses>}. */
  List<String> pomLicenses() {
    List<String> names = new ArrayList<>();
    child(parent, "licenses")
        .ifPresent(
            l ->
                children(l)
                    .forEach(
                        license ->
                            child(license, "name")
                                .ifPresent(n -> names.add(n.getTextContent().trim()))));
    return names;
  }

  /** The uid of {@code <container><user>uid:gid</user>}. */
  long uid() {
    return Long.parseLong(config("container", "user").orElseThrow().split(":")[0]);
  }

  /** The gid of {@code <container><user>uid:gid</user>}. */
  long gid() {
    return Long.parseLong(config("container", "user").orElseThrow().split(":")[1]);
  }

  /** The directory {@code -Djava.io.tmpdir} names. */
  String tmpdir() {
    return jvmFlags().stream()
        .filter(f -> f.startsWith("-Djava.io.tmpdir="))
        .map(f -> f.substring("-Djava.io.tmpdir=".length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no -Djava.io.tmpdir in the image's jvmFlags"));
  }

  /** Replaces ${name} with the operator's or the parent's property, or the project version. */
  String resolve(String text) {
    Matcher m = PROPERTY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(property(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String property(String name) {
    switch (name) {
      case "project.version":
        return child(child(pom, "parent").orElseThrow(), "version").orElseThrow().getTextContent();
      case "project.parent.description":
        return child(parent, "description").orElseThrow().getTextContent();
      case "project.build.directory":
        return "target";
      default:
        for (Element root : List.of(pom, parent)) {
          Optional<Element> value =
              child(root, "properties").flatMap(p -> child(p, name)).map(Element.class::cast);
          if (value.isPresent()) {
            return resolve(value.get().getTextContent().trim());
          }
        }
        throw new AssertionError("no property " + name + " in operator/pom.xml or pom.xml");
    }
  }

  private static Optional<Element> jib(Element plugins) {
    return children(plugins).stream()
        .filter(
            p ->
                child(p, "artifactId")
                    .map(a -> a.getTextContent().trim().equals("jib-maven-plugin"))
                    .orElse(false))
        .findFirst();
  }

  static Optional<Element> child(Element parent, String name) {
    return children(parent).stream().filter(e -> e.getTagName().equals(name)).findFirst();
  }

  static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }

  private static Element parse(Path pom) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    } catch (Exception e) {
      throw new AssertionError("cannot read " + pom, e);
    }
  }
}
