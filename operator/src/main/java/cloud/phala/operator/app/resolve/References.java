package cloud.phala.operator.app.resolve;

import cloud.phala.operator.crd.ContentSource;
import cloud.phala.operator.crd.EnvFromSource;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaAppSpec;
import java.util.LinkedHashSet;
import java.util.Set;

/** The Secrets and ConfigMaps a PhalaApp reads, by name, for the event source indexes. */
public final class References {
  private References() {}

  public static Set<String> secrets(PhalaAppSpec spec) {
    Set<String> names = new LinkedHashSet<>();
    if (spec.env != null) {
      for (EnvVarSource var : spec.env) {
        if (var.valueFrom != null && var.valueFrom.secretKeyRef != null) {
          names.add(var.valueFrom.secretKeyRef.name);
        }
      }
    }
    if (spec.envFrom != null) {
      for (EnvFromSource from : spec.envFrom) {
        if (from.secretRef != null) {
          names.add(from.secretRef.name);
        }
      }
    }
    if (spec.registryAuth != null) {
      names.add(spec.registryAuth.secretName);
    }
    if (spec.awsEcr != null) {
      names.add(spec.awsEcr.secretName);
    }
    if (spec.sshAuthorizedKeys != null && spec.sshAuthorizedKeys.secretKeyRef != null) {
      names.add(spec.sshAuthorizedKeys.secretKeyRef.name);
    }
    if (spec.rootPasswordSecretRef != null) {
      names.add(spec.rootPasswordSecretRef.name);
    }
    if (spec.credentialsSecretRef != null) {
      names.add(spec.credentialsSecretRef.name);
    }
    return names;
  }

  public static Set<String> configMaps(PhalaAppSpec spec) {
    Set<String> names = new LinkedHashSet<>();
    if (spec.env != null) {
      for (EnvVarSource var : spec.env) {
        if (var.valueFrom != null && var.valueFrom.configMapKeyRef != null) {
          names.add(var.valueFrom.configMapKeyRef.name);
        }
      }
    }
    if (spec.envFrom != null) {
      for (EnvFromSource from : spec.envFrom) {
        if (from.configMapRef != null) {
          names.add(from.configMapRef.name);
        }
      }
    }
    addContent(names, spec.compose);
    addContent(names, spec.preLaunchScript);
    return names;
  }

  private static void addContent(Set<String> names, ContentSource source) {
    if (source != null && source.configMapKeyRef != null) {
      names.add(source.configMapKeyRef.name);
    }
  }
}
