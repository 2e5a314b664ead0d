package cloud.phala.operator.app.sync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import cloud.phala.operator.app.cloud.CloudClients;
import cloud.phala.operator.app.cloud.Credentials;
import cloud.phala.operator.app.cloud.EnvKeyTrust;
import cloud.phala.operator.app.cloud.SharedCvmListing;
import cloud.phala.operator.app.owner.Ownerships;
import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.cloud.OnChainReads;
import cloud.phala.operator.cloud.PhalaCloudClient;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pass's phases stay apart: decide and report read nothing and write nothing (no Phala Cloud
 * client, no Kubernetes, no Events, no clock of their own), and act reads nothing from Phala Cloud.
 */
class PassLayersTest {
  private static final String DECIDE = "cloud.phala.operator.app.sync.decide..";

  /** The client's methods that read; the others change something. */
  private static final Set<String> READS =
      Set.of(
          "getCvm",
          "listCvms",
          "appCvms",
          "state",
          "appRevisions",
          "appRevision",
          "envPublicKey",
          "kmsList",
          "kms");

  private static final JavaClasses OPERATOR =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("cloud.phala.operator.app");

  @Test
  void decideAndReport_dependOnNoClientOfPhalaCloudOrKubernetes_norOnEvents() {
    noClasses()
        .that()
        .resideInAPackage(DECIDE)
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName(PhalaCloudClient.class.getName())
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8.kubernetes.client..", "java.net..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(CloudClients.class.getName())
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(Credentials.class.getName())
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(EnvKeyTrust.class.getName())
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(SharedCvmListing.class.getName())
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(Ownerships.class.getName())
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(EventRecorder.class.getName())
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("cloud.phala.operator.app.sync")
        .check(OPERATOR);
  }

  @Test
  void decideAndReport_takeTimeOnlyFromTheObservation() {
    noClasses()
        .that()
        .resideInAPackage(DECIDE)
        .should()
        .callMethod(Instant.class, "now")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(Clock.class.getName())
        .check(OPERATOR);
  }

  @Test
  void act_readsNothingFromPhalaCloud() {
    noClasses()
        .that()
        .haveFullyQualifiedName(Actor.class.getName())
        .or()
        .haveFullyQualifiedName(StatusIntentLog.class.getName())
        .should()
        .callMethodWhere(readOfPhalaCloud())
        .check(OPERATOR);
  }

  @Test
  void inThePass_onlyObserveReadsPhalaCloud() {
    noClasses()
        .that()
        .resideInAPackage("cloud.phala.operator.app.sync..")
        .and()
        .doNotHaveFullyQualifiedName(Observer.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(CvmObservation.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(RevisionHistory.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(StateReads.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(OnChainRead.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(AppChains.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(NamedApp.class.getName())
        .should()
        .callMethodWhere(readOfPhalaCloud())
        .check(OPERATOR);
  }

  private static DescribedPredicate<JavaAccess<?>> readOfPhalaCloud() {
    return DescribedPredicate.describe(
        "a read of Phala Cloud",
        access ->
            (access.getTargetOwner().isEquivalentTo(PhalaCloudClient.class)
                    && READS.contains(access.getName()))
                || access.getTargetOwner().isEquivalentTo(OnChainReads.class));
  }
}
