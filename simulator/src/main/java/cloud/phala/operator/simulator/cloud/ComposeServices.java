package cloud.phala.operator.simulator.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services a docker-compose file starts, read from its block-style {@code services:} map: each
 * service's key, {@code image} and {@code container_name}. Enough for the containers a simulated
 * guest reports; flow-style maps ({@code services: {}}) start nothing.
 */
public final class ComposeServices {
  /** One service: the container it runs is {@code containerName}. */
  public record Service(String name, String image, String containerName) {}

  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9._-]+):\\s*(.*?)\\s*$");

  private ComposeServices() {}

  public static List<Service> of(String dockerCompose) {
    List<Service> out = new ArrayList<>();
    int servicesIndent = -1;
    int serviceIndent = -1;
    String name = null;
    String image = null;
    String container = null;
    for (String line : dockerCompose.split("\n")) {
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      Matcher m = KEY.matcher(line);
      int indent = line.length() - line.stripLeading().length();
      if (servicesIndent < 0) {
        if (m.matches() && "services".equals(m.group(2)) && m.group(3).isEmpty()) {
          servicesIndent = indent;
        }
        continue;
      }
      if (indent <= servicesIndent) {
        break;
      }
      if (serviceIndent < 0) {
        serviceIndent = indent;
      }
      if (indent == serviceIndent && m.matches()) {
        add(out, name, image, container);
        name = m.group(2);
        image = null;
        container = null;
      } else if (m.matches() && "image".equals(m.group(2))) {
        image = unquote(m.group(3));
      } else if (m.matches() && "container_name".equals(m.group(2))) {
        container = unquote(m.group(3));
      }
    }
    add(out, name, image, container);
    return out;
  }

  private static void add(List<Service> out, String name, String image, String container) {
    if (name != null) {
      out.add(
          new Service(
              name,
              image == null ? name : image,
              container == null ? "app-" + name + "-1" : container));
    }
  }

  private static String unquote(String value) {
    return value.replaceAll("^[\"']|[\"']$", "");
  }
}
