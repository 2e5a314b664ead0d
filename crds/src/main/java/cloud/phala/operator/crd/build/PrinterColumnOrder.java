package cloud.phala.operator.crd.build;

import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Build step: the CRD generator sorts printer columns by JSON path, so {@code kubectl get} would
 * show AGE first. This rewrites the generated CRD so its columns come in the order they are
 * declared on {@link PhalaApp}, and changes nothing else in the file. Run by {@code crds/pom.xml}
 * right after the generator, in {@code process-classes}.
 */
public final class PrinterColumnOrder {
  private static final String KEY = "additionalPrinterColumns:";

  private PrinterColumnOrder() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    List<String> order =
        Arrays.stream(PhalaApp.class.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    Files.writeString(file, reorder(Files.readString(file), order));
  }

  /** {@code yaml} with the entries of its printer column list sorted by {@code order} of names. */
  public static String reorder(String yaml, List<String> order) {
    List<String> lines = new ArrayList<>(yaml.lines().toList());
    int key = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().replaceFirst("^- ", "").equals(KEY)) {
        key = i;
        break;
      }
    }
    if (key < 0) {
      throw new IllegalArgumentException("no " + KEY + " in the generated CRD");
    }
    String line = lines.get(key);
    int keyIndent = line.indexOf(KEY);
    String item = " ".repeat(keyIndent) + "- ";
    String more = " ".repeat(keyIndent + 2);
    List<List<String>> entries = new ArrayList<>();
    int end = key + 1;
    while (end < lines.size()
        && (lines.get(end).startsWith(item)
            || (!entries.isEmpty() && lines.get(end).startsWith(more)))) {
      if (lines.get(end).startsWith(item)) {
        entries.add(new ArrayList<>());
      }
      entries.get(entries.size() - 1).add(lines.get(end));
      end++;
    }
    if (entries.size() != order.size()) {
      throw new IllegalArgumentException(
          "the CRD has " + entries.size() + " printer columns, PhalaApp declares " + order.size());
    }
    List<List<String>> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingInt(entry -> position(entry, order)));
    List<String> out = new ArrayList<>(lines.subList(0, key + 1));
    sorted.forEach(out::addAll);
    out.addAll(lines.subList(end, lines.size()));
    return String.join("\n", out) + (yaml.endsWith("\n") ? "\n" : "");
  }

  private static int position(List<String> entry, List<String> order) {
    for (String line : entry) {
      String field = line.trim().replaceFirst("^- ", "");
      if (field.startsWith("name: ")) {
        String name = field.substring("name: ".length()).replace("\"", "");
        int at = order.indexOf(name);
        if (at < 0) {
          throw new IllegalArgumentException("printer column " + name + " is not declared");
        }
        return at;
      }
    }
    throw new IllegalArgumentException("a printer column without a name: " + entry);
  }
}
