package cloud.phala.operator.app.journal;

import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intent journal of one operator shard: one ConfigMap in the operator's namespace, written by
 * one committer thread, each write conditional on the version it read and holding every intent
 * handed in since the previous write ({@link GroupCommit}). The last version written or read is
 * kept in memory: passes read their entries from it.
 */
public final class IntentJournal implements AutoCloseable {
  /** The ConfigMap's label; its value is the shard's lease name. */
  public static final String LABEL = "phala.cloud/intent-journal";

  /** Room left in a ConfigMap (1 MiB) for its metadata. */
  public static final int MAX_BYTES = 900 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(IntentJournal.class);
  private static final long DROP_DELAY_MILLIS = 2000;
  private static final long WRITE_TIMEOUT_SECONDS = 60;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final GroupCommit commit;
  private final Thread committer;
  private volatile boolean closed;
  private volatile Map<String, String> current = Map.of();
  private volatile String resourceVersion;
  private boolean loaded;

  private IntentJournal(KubernetesClient client, String namespace, String name, int maxBytes) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.commit = new GroupCommit(maxBytes);
    this.committer = new Thread(this::run, "intent-journal");
    committer.setDaemon(true);
    committer.start();
  }

  /** Opens (creating it if missing) the journal {@code shardName + "-intents"}. */
  public static IntentJournal open(
      KubernetesClient client, String namespace, String shardName, int maxBytes) {
    return new IntentJournal(client, namespace, name(shardName), maxBytes);
  }

  public static String name(String shardName) {
    return shardName + "-intents";
  }

  /** The app's entry as last written or read (null: none). */
  public JournalEntry entry(JournalKey key) {
    loadOnce();
    String text = current.get(key.text());
    return text == null ? null : JournalEntry.decode(text);
  }

  /**
   * Hands the intents and the pass's checkpoint to the next batch and waits until a write holding
   * them completed; returns that write's sequence number, or empty when the journal had no room for
   * them.
   */
  public OptionalLong write(
      JournalKey key, Map<String, JournalEntry.Intended> intents, PhalaAppStatus checkpoint) {
    GroupCommit.Submission s = commit.submit(key, intents, checkpoint);
    try {
      return s.done().get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the intent journal", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException("the intent journal write failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the intent journal was not written in time", e);
    }
  }

  /** The app's status now holds its entry up to {@code seq}. */
  public void subsumed(JournalKey key, long seq) {
    commit.subsumed(key, seq);
  }

  /** The app is gone. */
  public void forget(JournalKey key) {
    commit.forget(key);
  }

  private void run() {
    while (!closed) {
      try {
        boolean submitted = commit.awaitSubmission(DROP_DELAY_MILLIS);
        if (!submitted && !commit.hasDrops(current)) {
          continue;
        }
        loadOnce();
        GroupCommit.Batch batch = commit.next(current);
        if (batch != null) {
          writeBatch(batch);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("intent journal committer: {}", e.toString());
      }
    }
  }

  private void writeBatch(GroupCommit.Batch batch) {
    ConfigMap next = configMap(batch.data());
    next.getMetadata().setResourceVersion(resourceVersion);
    try {
      ConfigMap written = client.configMaps().inNamespace(namespace).resource(next).update();
      resourceVersion = written.getMetadata().getResourceVersion();
      current = Map.copyOf(batch.data());
      commit.written(batch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        commit.failed(batch, e);
        return;
      }
      commit.conflicted(batch);
      load();
    } catch (RuntimeException e) {
      commit.failed(batch, e);
    }
  }

  /**
   * Read at the first pass, not at start: a standby process (leader election) starts passes only
   * once it leads, and must see what the previous leader wrote until then.
   */
  private synchronized void loadOnce() {
    if (!loaded) {
      load();
      loaded = true;
    }
  }

  private synchronized void load() {
    ConfigMap found = client.configMaps().inNamespace(namespace).withName(name).get();
    if (found == null) {
      found = client.configMaps().inNamespace(namespace).resource(configMap(Map.of())).create();
    }
    resourceVersion = found.getMetadata().getResourceVersion();
    current = found.getData() == null ? Map.of() : Map.copyOf(found.getData());
  }

  private ConfigMap configMap(Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(Map.of(LABEL, name))
        .endMetadata()
        .withData(new TreeMap<>(data))
        .build();
  }

  @Override
  public void close() {
    closed = true;
    committer.interrupt();
  }
}
