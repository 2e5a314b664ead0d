package cloud.phala.operator.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against the JVM's shared real kube-apiserver. Every CRD found on the class
 * path under {@code META-INF/fabric8/*-v1.yml} (where fabric8's crd-generator writes them), plus
 * those named in {@link #crds()}, is applied and established first. The class gets a namespace of
 * its own. Test methods and constructors may take a {@link io.fabric8.kubernetes.client
 * .KubernetesClient} (admin), a {@link TestNamespace} or the {@link KubeApiServerHandle}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KubeApiServerExtension.class)
public @interface KubeApiTest {
  /** Extra CRD manifests on the class path, e.g. {@code "/crds/widgets.yaml"}. */
  String[] crds() default {};
}
