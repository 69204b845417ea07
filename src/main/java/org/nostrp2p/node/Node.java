package org.nostrp2p.node;

import org.nostrp2p.api.ApiServer;
import org.nostrp2p.relay.RelayLimits;
import org.nostrp2p.api.PemTls;
import org.nostrp2p.event.KeyPair;
import org.nostrp2p.event.NodeBinding;
import org.nostrp2p.overlay.OverlayConfig;
import org.nostrp2p.overlay.OverlayNode;
import org.nostrp2p.overlay.PeerAddress;
import org.nostrp2p.overlay.SchnorrNodeSigner;
import org.nostrp2p.store.Database;
import org.nostrp2p.store.EventStore;
import org.nostrp2p.store.KeyValues;
import org.nostrp2p.store.Outbox;
import org.nostrp2p.transport.TcpTransport;
import org.nostrp2p.util.Fatal;
import org.nostrp2p.util.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One running node: store, overlay, delivery worker and client API, started and stopped together. */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    private static final long SAVE_PEERS_EVERY_S = 30;
    private static final long EXCHANGE_EVERY_S = 15;
    /** Long enough to have joined, so that the followed users' nodes are known. */
    private static final long RENEW_FIRST_AFTER_S = 60;
    public static final String TRAFFIC_SENT = "overlay.bytes_sent";
    public static final String TRAFFIC_RECEIVED = "overlay.bytes_received";

    private final NodeConfig config;
    private final DataDirLock lock;
    private final Database db;
    private final EventStore events;
    private final Outbox outbox;
    private final KeyValues kv;
    private final TcpTransport transport;
    private final OverlayNetwork network;
    private final OverlayNode overlay;
    private final DeliveryWorker delivery;
    private final PublishService publish;
    private final ApiServer api;
    private final NodeStatus status;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofVirtual().name("housekeeping").unstarted(r));

    private Node(NodeConfig config) throws IOException {
        this.config = config;
        InstantSource clock = InstantSource.system();
        SSLContext tls = config.tls() == null ? null
                : PemTls.serverContext(config.tls().certificateChain(), config.tls().privateKey());
        this.lock = DataDirLock.acquire(config.dataDir());
        Database opened = null;
        try {
            opened = Database.open(config.dataDir());
            this.db = opened;
            this.events = new EventStore(db, config.maxEvents(), config.ownerPubkey());
            this.outbox = new Outbox(db, config.retry());
            this.kv = new KeyValues(db);
            KeyPair nodeKey = NodeIdentity.loadOrCreateKey(kv);
            SchnorrNodeSigner nodeSigner = new SchnorrNodeSigner(nodeKey);
            InetSocketAddress listen = config.listen().toSocketAddress(); // resolved once: bound, and advertised
            this.transport = new TcpTransport(listen, nodeSigner);
            DeliveryWorker[] worker = new DeliveryWorker[1];
            this.network = new OverlayNetwork(transport, events, config.ownerPubkey(), config.followerModeAtNodes(), users -> {
                long now = clock.millis();
                int due = 0;
                for (String u : users) due += outbox.retryNow(u, now);
                if (due > 0) worker[0].nudge();
            });
            PeerAddress advertised = advertisedAddress(config.listen(), listen);
            this.overlay = new OverlayNode(transport, OverlayConfig.DEFAULT.withPresenceBroadcast(!config.presenceByDht())
                    .withPresenceDhtAt(config.presenceDhtAtNodes()), nodeSigner, advertised,
                    List.of(config.ownerPubkey()), network);
            network.attach(overlay);
            this.status = new NodeStatus(transport, overlay, events, nodeSigner.id().hex(), config.ownerPubkey(),
                    network::followerCount);
            Optional<NodeBinding> binding = NodeStatus.ownerBinding(events, config.ownerPubkey());
            overlay.setBindings(binding.stream().toList());
            warnIfUnbound(binding);
            overlay.addKnownPeers(NodeIdentity.knownPeers(kv));
            overlay.resumePresence(NodeIdentity.presenceSeq(kv), seq -> NodeIdentity.savePresenceSeq(kv, seq));
            this.delivery = new DeliveryWorker(outbox, network, clock, config.deliveryTick());
            worker[0] = delivery;
            this.publish = new PublishService(config.ownerPubkey(), config.writable(), db, events, outbox,
                    clock, delivery::nudge, this::bindingStored);
            QueryService query = new QueryService(config.ownerPubkey(), events, network, clock);
            this.api = new ApiServer(config.apiAddress().toSocketAddress(), tls, publish, query, status, events,
                    RelayLimits.defaults(config.relayAuthForReads()));
        } catch (RuntimeException e) {
            if (opened != null) opened.close();
            lock.close();
            throw e;
        }
    }

    /** The listen address as peers dial it: an IP, since no node looks up a name a peer gives (DialPolicy). */
    private static PeerAddress advertisedAddress(HostPort listen, InetSocketAddress resolved) {
        boolean keepTyped = resolved.isUnresolved() || resolved.getAddress().isAnyLocalAddress(); // a wildcard is replaced later (OverlayNode.noteLocalAddress)
        String host = keepTyped ? listen.host() : resolved.getAddress().getHostAddress();
        return new PeerAddress(host, listen.port());
    }

    /** Starts a node; throws IOException for ports in use, IllegalStateException/IllegalArgumentException for bad setup. */
    public static Node start(NodeConfig config) throws IOException {
        Node node = new Node(config);
        try {
            List<PeerAddress> boot = config.bootPeer() == null ? List.of()
                    : List.of(new PeerAddress(config.bootPeer().host(), config.bootPeer().port()));
            node.transport.start(node.overlay, boot);
            node.delivery.start();
            node.api.start();
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        node.every(SAVE_PEERS_EVERY_S, node::savePeers);
        node.every(5, node::saveTraffic);
        node.every(EXCHANGE_EVERY_S, node::exchangeRecent);
        node.every(OverlayNetwork.AUTHOR_CATCH_UP_EVERY.toSeconds(), node::catchUpFromFollowedAuthors);
        // follow registrations: soon after start (a node restarted within 12 h would never renew them), then every 12 h
        node.housekeeping.scheduleWithFixedDelay(Fatal.guard("housekeeping", node::renewFollowRegistrations),
                RENEW_FIRST_AFTER_S, Followers.RENEW_EVERY.toSeconds(), TimeUnit.SECONDS);
        log.atInfo()
                .addKeyValue("overlay", config.listen())
                .addKeyValue("boot", config.bootPeer() == null ? "none: starting a network" : config.bootPeer().toString())
                .addKeyValue("api", (config.tls() == null ? "http://" : "https://") + config.apiAddress())
                .addKeyValue("owner", config.ownerPubkey())
                .addKeyValue("writable", config.writable())
                .addKeyValue("data", config.dataDir())
                .addKeyValue("events", node.events.count())
                .addKeyValue("queued_sends", node.outbox.size())
                .log("node started");
        return node;
    }

    /** The owner published a new binding: carry it in our presence record from now on. */
    private void bindingStored(NodeBinding binding) {
        transport.run(() -> overlay.setBindings(List.of(binding)));
        warnIfUnbound(Optional.of(binding));
    }

    /**
     * Without a binding naming this node, any node that claims the owner gets the owner's mail
     * too (and a bound impostor all of it): said at start, with the fix.
     */
    private void warnIfUnbound(Optional<NodeBinding> binding) {
        String self = overlay.self().hex(); // the node key's id: safe to read off the overlay thread
        if (binding.isPresent() && binding.get().names(self)) return;
        log.atWarn().addKeyValue("node", self)
                .log(binding.isEmpty() ? "the owner has not bound this node: run `nostrp2p bind` (docs/client-api.md, node binding)"
                        : "the owner's binding names other nodes, not this one (new node key?): run `nostrp2p bind` to bind this node");
    }

    /** A housekeeping task; an Error in it is fatal (the executor would swallow it and stop the task). */
    private void every(long seconds, Runnable task) {
        housekeeping.scheduleWithFixedDelay(Fatal.guard("housekeeping", task), seconds, seconds, TimeUnit.SECONDS);
    }

    private void savePeers() {
        try {
            NodeIdentity.saveKnownPeers(kv, transport.call(overlay::activePeers, 5_000));
        } catch (TimeoutException | RuntimeException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("could not save known peers");
        }
    }

    private void renewFollowRegistrations() {
        try {
            publish.renewFollowRegistrations();
        } catch (RuntimeException e) { // a failed round must not end the schedule: the next one comes in 12 h
            log.atWarn().addKeyValue("error", e.toString()).log("could not queue the follow list's renewal");
        }
    }

    private void catchUpFromFollowedAuthors() {
        try {
            network.catchUpFromFollowedAuthors();
        } catch (RuntimeException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("catch-up from followed authors failed");
        }
    }

    private void exchangeRecent() {
        try {
            network.exchangeRecent();
        } catch (RuntimeException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("anti-entropy round failed");
        }
    }

    /** Overlay byte counters, readable from the store by monitoring and benchmarks. */
    private void saveTraffic() {
        try {
            kv.put(TRAFFIC_SENT, Long.toString(transport.traffic().bytesSent()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            kv.put(TRAFFIC_RECEIVED, Long.toString(transport.traffic().bytesReceived()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (RuntimeException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("could not save traffic counters");
        }
    }

    public EventStore events() { return events; }

    public Outbox outbox() { return outbox; }

    public NodeConfig config() { return config; }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        api.close();
        delivery.close();
        savePeers();
        transport.close();
        network.close();
        db.close();
        try {
            lock.close();
        } catch (IOException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("could not release the data directory lock");
        }
        log.atInfo().log("node stopped");
    }
}
