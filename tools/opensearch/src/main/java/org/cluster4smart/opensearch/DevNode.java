package org.cluster4smart.opensearch;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.Version;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.transport.TransportAddress;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Starts a single OpenSearch 2.19 node from the jars on the class path, for development and CI.
 *
 * <p>Only two plugins are loaded: {@link Netty4Plugin} (the HTTP and transport layers) and
 * {@link CommonAnalysisPlugin} (edge_ngram, ngram, asciifolding, lowercase, language analyzers,
 * i.e. what Wagtail's OpenSearch backend needs). No bootstrap checks, no security manager.
 *
 * <p>Configuration, highest precedence first:
 * <ul>
 *   <li>arguments: {@code --port N}, {@code --data DIR}, {@code --home DIR}, and any
 *       {@code -Ekey=value} OpenSearch setting;</li>
 *   <li>system properties: {@code opensearch.port}, {@code opensearch.data}, {@code opensearch.home};</li>
 *   <li>environment: {@code OPENSEARCH_PORT}, {@code OPENSEARCH_DATA}, {@code OPENSEARCH_HOME};</li>
 *   <li>defaults: port 9200, home {@code tools/opensearch/node}, data {@code <home>/data}.</li>
 * </ul>
 * The default home is found from where this class was loaded ({@code tools/opensearch/target/...}),
 * so it does not depend on the working directory.
 */
public final class DevNode extends Node {

    public static final String CLUSTER_NAME = "cluster4smart-dev";

    private static final List<Class<? extends Plugin>> PLUGINS = List.of(Netty4Plugin.class, CommonAnalysisPlugin.class);

    private DevNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        // true: forbid private index settings, as a production node does.
        super(environment, plugins, true);
    }

    public static void main(String[] args) throws Exception {
        final long startNanos = System.nanoTime();
        String port = firstNonEmpty(System.getProperty("opensearch.port"), System.getenv("OPENSEARCH_PORT"), "9200");
        String home = firstNonEmpty(System.getProperty("opensearch.home"), System.getenv("OPENSEARCH_HOME"), null);
        String data = firstNonEmpty(System.getProperty("opensearch.data"), System.getenv("OPENSEARCH_DATA"), null);
        Settings.Builder extra = Settings.builder();

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--port") && i + 1 < args.length) {
                port = args[++i];
            } else if (arg.equals("--data") && i + 1 < args.length) {
                data = args[++i];
            } else if (arg.equals("--home") && i + 1 < args.length) {
                home = args[++i];
            } else if (arg.startsWith("-E") && arg.indexOf('=') > 2) {
                int eq = arg.indexOf('=');
                extra.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (arg.equals("-h") || arg.equals("--help")) {
                System.out.println("usage: DevNode [--port N] [--data DIR] [--home DIR] [-Ekey=value ...]");
                return;
            } else {
                System.err.println("DevNode: unknown argument " + arg + " (try --help)");
                System.exit(2);
            }
        }
        try {
            Integer.parseInt(port);
        } catch (NumberFormatException e) {
            System.err.println("DevNode: http port is not a number: " + port);
            System.exit(2);
        }

        Path homeDir = (home != null ? Paths.get(home) : defaultHome()).toAbsolutePath().normalize();
        Path dataDir = (data != null ? Paths.get(data) : homeDir.resolve("data")).toAbsolutePath().normalize();
        Path logsDir = homeDir.resolve("logs");
        // Empty config/, modules/ and plugins/ keep the Environment happy; nothing is loaded from them.
        for (Path dir : Arrays.asList(homeDir, dataDir, logsDir, homeDir.resolve("config"),
                homeDir.resolve("modules"), homeDir.resolve("plugins"))) {
            Files.createDirectories(dir);
        }

        Settings settings = Settings.builder()
                .put("path.home", homeDir.toString())
                .put("path.data", dataDir.toString())
                .put("path.logs", logsDir.toString())
                .put("cluster.name", CLUSTER_NAME)
                .put("node.name", "dev-node")
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", port)
                // Disks here can be nearly full: never let the watermarks block allocation or writes.
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put(extra.build())
                .build();

        Environment environment = InternalSettingsPreparer.prepareEnvironment(
                settings, Collections.emptyMap(), null, () -> "dev-node");
        Logger logger = LogManager.getLogger(DevNode.class);

        final DevNode node;
        try {
            node = new DevNode(environment, PLUGINS);
        } catch (Exception e) {
            logger.error("node could not be created", e);
            System.err.println("DevNode: failed to create the node: " + e);
            Runtime.getRuntime().halt(1);
            return;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                logger.info("stopping");
                node.close();
                if (!node.awaitClose(20, TimeUnit.SECONDS)) {
                    logger.warn("node did not close within 20 s");
                }
                logger.info("stopped");
            } catch (IOException | InterruptedException | RuntimeException e) {
                logger.error("error while closing the node", e);
            } finally {
                stopped.countDown();
                // log4j's own shutdown hook is disabled in log4j2.properties so that closing is logged.
                LogManager.shutdown();
            }
        }, "devnode-shutdown"));

        try {
            node.start();
        } catch (Exception e) {
            logger.error("node failed to start", e);
            System.err.println("DevNode: failed to start: " + e);
            Runtime.getRuntime().halt(1);
        }

        // One node: indices created without an explicit number_of_replicas should get 0 replicas
        // (health green). Verified: cluster.default_number_of_replicas is only honoured from the
        // cluster state, as a node setting it is ignored; index.number_of_replicas as a node
        // setting is refused at start-up. So it is stored as a persistent cluster setting.
        try {
            node.client().admin().cluster().prepareUpdateSettings()
                    .setPersistentSettings(Settings.builder().put("cluster.default_number_of_replicas", 0))
                    .get(TimeValue.timeValueSeconds(30));
        } catch (RuntimeException e) {
            logger.warn("could not set cluster.default_number_of_replicas=0; new indices get 1 replica", e);
        }

        TransportAddress http = node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        System.out.println("DevNode ready: OpenSearch " + Version.CURRENT + " cluster " + CLUSTER_NAME
                + " http://" + http + " data " + dataDir + " (started in " + millis + " ms)");
        System.out.flush();

        // Keep the JVM alive (as OpenSearch's Bootstrap does) until the shutdown hook has closed the node.
        Thread keepAlive = new Thread(() -> {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "devnode-keepalive");
        keepAlive.setDaemon(false);
        keepAlive.start();
    }

    /** {@code <dir of target/>/node}, i.e. tools/opensearch/node, found from this class's location. */
    private static Path defaultHome() {
        try {
            Path location = Paths.get(DevNode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // .../tools/opensearch/target/classes or .../tools/opensearch/target/opensearch-dev-node-*.jar
            Path target = location.getParent();
            if (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")
                    && target.getParent() != null) {
                return target.getParent().resolve("node");
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Paths.get("tools", "opensearch", "node");
    }

    private static String firstNonEmpty(String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }
}
