package dev.slice.driver.libvirt;

import dev.slice.driver.BackendKind;
import dev.slice.driver.Capacity;
import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestInfo;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.ProbeResult;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Console;
import dev.slice.driver.capability.HostInterface;
import dev.slice.driver.capability.Capability;
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.capability.Snapshots;
import dev.slice.driver.capability.Stats;
import dev.slice.driver.capability.Suspend;
import dev.slice.driver.host.HostBridge;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.driver.host.TrafficShaper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.MemoryStatistic;
import org.libvirt.NodeInfo;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Slice's driver for one libvirt connection: QEMU guests (KVM when it really works, otherwise
 * TCG emulation) for {@code qemu://} URIs, Xen paravirtual domains for {@code xen://} URIs. A
 * guest is a persistent libvirt domain named after its id, a qcow2 overlay over its template's
 * base image and a seed volume with its first-boot settings, both in the storage pool "slice".
 */
public final class LibvirtDriver implements Driver, Console, Stats, GuestExec, HostInterface, AutoCloseable {
    /** The host end of the guest's link to the node bridge, where its firewall is. */
    @Override
    public String hostInterface(GuestId id) {
        return DomainXml.interfaceName(id);
    }

    private static final long MIB = 1024L * 1024L;
    private static final int MEMORY_STAT_RSS = 7; // VIR_DOMAIN_MEMORY_STAT_RSS, in KiB
    private static final Duration POLL = Duration.ofMillis(200);
    /** copyIn's deadline: this, plus a second per {@link #COPY_BYTES_PER_SECOND} (the agent is slow under TCG). */
    private static final Duration COPY_TIMEOUT = Duration.ofSeconds(60);
    private static final long COPY_BYTES_PER_SECOND = 16 * 1024;
    /**
     * libvirt prints every error to stderr unless a handler is set; the driver turns errors into
     * exceptions (or expected answers, like "no such domain") itself. Held here so it is never collected.
     */
    private static final org.libvirt.jna.Libvirt.VirErrorCallback QUIET_ERRORS = (userData, error) -> { };

    /** libvirtd is sent a keepalive every 5 s; after 3 unanswered ones libvirt closes the connection and its calls fail. */
    private static final int KEEPALIVE_INTERVAL_SECONDS = 5;
    private static final int KEEPALIVE_COUNT = 3;

    static {
        try {
            Connect.setErrorCallback(QUIET_ERRORS);
        } catch (LibvirtException e) {
            // Errors then also appear on stderr; harmless.
        }
        try {
            LibvirtEventLoop.ensureRunning(); // before the first connection, which would not use it otherwise
        } catch (DriverException e) {
            // Consoles say so when opened; other calls work without the loop (no keepalive).
        }
    }

    private final String uri;
    private final Hypervisor hypervisor;
    private final boolean local;
    private final Path templatesDir;
    private final GuestVolumes volumes;
    private final AccelerationProbe acceleration;
    private final HostBridge bridges;
    private final TrafficShaper shaper;
    private final KvmDeviceAccess kvmAccess;
    private final Clock clock;
    private final LibvirtSnapshots snapshots;
    private final LibvirtSuspend suspend;
    private Connect connect;

    /**
     * @param uri        libvirt connection URI, e.g. {@code qemu:///system} or {@code xen:///system}
     * @param dataDir    Slice's data directory: templates, the volume pool and the probe's cache live under it
     */
    public LibvirtDriver(String uri, Path dataDir, ProcessRunner processes, Clock clock) {
        this(uri, dataDir, processes, clock, AccelerationProbe.DEFAULT_DEADLINE, new KvmDeviceAccess(processes));
    }

    LibvirtDriver(String uri, Path dataDir, ProcessRunner processes, Clock clock, Duration accelerationDeadline,
                  KvmDeviceAccess kvmAccess) {
        this.uri = uri;
        this.hypervisor = Hypervisor.ofUri(uri);
        this.local = isLocal(uri);
        this.templatesDir = dataDir.resolve("templates");
        this.volumes = new GuestVolumes(dataDir.resolve("libvirt").resolve("volumes"));
        this.acceleration = new AccelerationProbe(uri, local, dataDir.resolve("libvirt"), templatesDir, clock,
                accelerationDeadline);
        this.bridges = new HostBridge(processes);
        this.shaper = new TrafficShaper(processes);
        this.kvmAccess = kvmAccess;
        this.clock = clock;
        this.snapshots = new LibvirtSnapshots(this::connection, hypervisor, uri);
        this.suspend = new LibvirtSuspend(this::connection, this::start, uri);
    }

    static boolean isLocal(String uri) {
        try {
            String host = URI.create(uri).getHost();
            return host == null || host.isEmpty() || host.equals("localhost");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("libvirt URI '" + uri + "' is not a valid URI", e);
        }
    }

    @Override
    public BackendKind kind() { return hypervisor.kind(); }

    @Override
    public String name() { return uri; }

    @Override
    public ProbeResult probe() {
        try {
            Connect c = connection();
            NodeInfo node = c.nodeInfo();
            String version = "libvirt " + version(c.getLibVersion()) + ", "
                    + (hypervisor == Hypervisor.QEMU ? "QEMU " : "Xen ") + version(c.getVersion());
            long diskMiB = volumes.capacityBytes(c).orElse(0L) / MIB;
            Capacity capacity = new Capacity(node.cpus, node.memory / 1024, diskMiB);
            String detail = switch (hypervisor) {
                case QEMU -> acceleration.decide(c).reason();
                case XEN -> "Xen paravirtual domains (untested on a real Xen host: Slice only validates their XML)";
            };
            String problem = hypervisor == Hypervisor.QEMU && local
                    ? kvmAccess.problem().map(p -> "; host set-up problem: " + p).orElse("") : "";
            return ProbeResult.available(version, detail + "; disks in storage pool '" + GuestVolumes.POOL + "'" + problem,
                    capacity);
        } catch (LibvirtException e) {
            return ProbeResult.unavailable(unavailableWhy(LibvirtCalls.message(e)));
        } catch (DriverException e) {
            return ProbeResult.unavailable(unavailableWhy(e.getMessage()));
        } catch (RuntimeException e) {
            return ProbeResult.unavailable(unavailableWhy(e.toString()));
        }
    }

    private String unavailableWhy(String cause) {
        return switch (hypervisor) {
            case QEMU -> cause + " (deploy/libvirt/setup.sh installs and starts libvirtd and QEMU)";
            case XEN -> "cannot use Xen at " + uri + ": " + cause
                    + ". Slice's Xen support is untested on a real Xen host; it needs a Xen dom0 with libvirt's libxl driver";
        };
    }

    /** The domain type new QEMU guests get ({@code kvm} or {@code qemu}); {@code xen} for Xen. */
    String domainType() {
        if (hypervisor == Hypervisor.XEN) return "xen";
        return acceleration.decide(connection()).domainType();
    }

    @Override
    public void create(GuestSpec spec) {
        GuestId id = spec.id();
        TemplateImage image = TemplateImage.resolve(templatesDir, spec.template());
        long capacity = spec.resources().diskMiB() * MIB;
        if (capacity < image.rootImageBytes()) {
            throw new InvalidSpecException("disk of " + spec.resources().diskMiB() + " MiB is smaller than template '"
                    + spec.template() + "' needs (" + (image.rootImageBytes() + MIB - 1) / MIB + " MiB)");
        }
        byte[] seedArchive = SeedArchive.of(spec); // refuses values that cannot reach a guest before anything is made
        Connect c = connection();
        String type = domainType();
        try {
            Optional<Domain> existing = lookup(c, id);
            if (existing.isPresent() && existing.get().isActive() == 1) return; // created and running already
            if (local && spec.network() != null) bridges.ensure(spec.network().bridge());
            GuestVolumes.RootDisk root = volumes.ensureRoot(c, id, image, capacity);
            TemplateImage boots = imageUnder(root, spec, image);
            Path seed = volumes.writeSeed(c, id, seedArchive);
            // Redefining keeps the domain's UUID; libvirt refuses a second domain of the same name.
            String uuid = existing.isPresent() ? existing.get().getUUIDString() : null;
            c.domainDefineXML(DomainXml.of(new DomainXml.Plan(spec, hypervisor, type, boots, root.path(), seed, uuid)));
        } catch (LibvirtException e) {
            throw failure("create", id, e);
        }
    }

    /**
     * The template build whose kernel must boot this disk: the kernel's modules live on the disk,
     * so a guest created before the template was rebuilt keeps booting the build its disk came
     * from. A disk of another template is refused: changing templates is a reinstall.
     */
    private TemplateImage imageUnder(GuestVolumes.RootDisk root, GuestSpec spec, TemplateImage current) {
        if (root.baseImage().equals(current.rootImage())) return current;
        Path build = root.baseImage().getParent();
        Path templateForms = templatesDir.resolve(spec.template()).resolve(TemplateImage.FORM);
        if (build == null || !templateForms.equals(build.getParent())) {
            throw new InvalidSpecException("guest " + spec.id() + " already has a disk made from " + root.baseImage()
                    + ", not from template '" + spec.template() + "'; reinstall it to change its template");
        }
        return new TemplateImage(spec.template(), build);
    }

    /**
     * Gives the guest a fresh disk from its template (and fresh first-boot settings), keeping its
     * definition; the guest is left stopped. Safe to repeat after a failure.
     */
    public void reinstall(GuestSpec spec) {
        TemplateImage.resolve(templatesDir, spec.template());
        Connect c = connection();
        try {
            Optional<Domain> domain = lookup(c, spec.id());
            if (domain.isPresent() && domain.get().isActive() == 1) forceOff(domain.get());
            // A saved machine belongs to the old disk: restoring it onto the new one would corrupt it.
            if (domain.isPresent() && domain.get().hasManagedSaveImage() == 1) domain.get().managedSaveRemove();
            volumes.delete(c, spec.id());
        } catch (LibvirtException e) {
            throw failure("reinstall", spec.id(), e);
        }
        create(spec);
    }

    @Override
    public void start(GuestId id) {
        Connect c = connection();
        try {
            Domain domain = lookup(c, id).orElseThrow(() -> new GuestNotFoundException(id));
            if (domain.isActive() != 1) {
                if (local) bridgesOf(domain).forEach(bridges::ensure);
                domain.create();
            }
            // Also for a guest found running: a start retried after a failure here still shapes it.
            if (local) shaper.apply(DomainXml.interfaceName(id), bandwidthOf(domain));
        } catch (LibvirtException e) {
            throw failure("start", id, e);
        }
    }

    @Override
    public void stop(GuestId id, StopMode mode) {
        Connect c = connection();
        try {
            Domain domain = lookup(c, id).orElseThrow(() -> new GuestNotFoundException(id));
            if (domain.isActive() != 1) return;
            if (mode instanceof StopMode.Graceful graceful) {
                domain.shutdown();
                if (waitUntilStopped(domain, graceful.timeout())) return;
            }
            forceOff(domain);
        } catch (LibvirtException e) {
            if (isNotRunning(e)) return; // it stopped on its own meanwhile
            throw failure("stop", id, e);
        }
    }

    @Override
    public void reboot(GuestId id) {
        Connect c = connection();
        try {
            Domain domain = lookup(c, id).orElseThrow(() -> new GuestNotFoundException(id));
            if (domain.isActive() != 1) {
                start(id);
                return;
            }
            domain.reboot(0); // ACPI: the guest shuts down cleanly and libvirt starts it again
        } catch (LibvirtException e) {
            throw failure("reboot", id, e);
        }
    }

    /** virDomainReset: QEMU's system reset, the guest is not asked. A stopped guest is started. */
    @Override
    public void reset(GuestId id) {
        Connect c = connection();
        try {
            Domain domain = lookup(c, id).orElseThrow(() -> new GuestNotFoundException(id));
            if (domain.isActive() == 1) {
                domain.reset();
                return;
            }
        } catch (LibvirtException e) {
            if (!isNotRunning(e)) throw failure("reset", id, e); // stopped meanwhile: start it below
        }
        start(id);
    }

    @Override
    public void destroy(GuestId id) {
        Connect c = connection();
        try {
            Optional<Domain> domain = lookup(c, id);
            if (domain.isPresent()) {
                if (domain.get().isActive() == 1) forceOff(domain.get());
                // Its snapshots go with its volume, a suspended guest's saved machine with it.
                domain.get().undefine(Domain.UndefineFlags.SNAPSHOTS_METADATA | Domain.UndefineFlags.MANAGED_SAVE);
            }
            volumes.delete(c, id);
            if (local) shaper.remove(DomainXml.interfaceName(id));
        } catch (LibvirtException e) {
            if (LibvirtCalls.isAbsent(e)) return; // removed by someone else meanwhile
            throw failure("destroy", id, e);
        }
    }

    @Override
    public GuestState state(GuestId id) {
        Connect c = connection();
        try {
            Optional<Domain> domain = lookup(c, id);
            if (domain.isEmpty()) return GuestState.ABSENT;
            return domain.get().isActive() == 1 ? GuestState.RUNNING : GuestState.STOPPED;
        } catch (LibvirtException e) {
            if (LibvirtCalls.isAbsent(e)) return GuestState.ABSENT;
            throw failure("read the state of", id, e);
        }
    }

    @Override
    public List<GuestInfo> list() {
        Connect c = connection();
        try {
            Set<GuestInfo> guests = new LinkedHashSet<>();
            for (int domainId : c.listDomains()) {
                LibvirtCalls.lookup(() -> c.domainLookupByID(domainId)).ifPresent(domain -> {
                    try {
                        guestId(domain.getName()).ifPresent(id -> guests.add(new GuestInfo(id, GuestState.RUNNING)));
                    } catch (LibvirtException e) {
                        // Gone between listing and look-up.
                    }
                });
            }
            for (String name : c.listDefinedDomains()) {
                guestId(name).ifPresent(id -> guests.add(new GuestInfo(id, GuestState.STOPPED)));
            }
            return List.copyOf(guests);
        } catch (LibvirtException e) {
            throw new DriverException("could not list the domains at " + uri + ": " + LibvirtCalls.message(e), e);
        }
    }

    /** Domain names that can be Slice guest ids; others (and the acceleration probe) are not Slice's business. */
    private static Optional<GuestId> guestId(String name) {
        if (DomainXml.PROBE_DOMAIN.equals(name)) return Optional.empty();
        try {
            return Optional.of(GuestId.of(name));
        } catch (InvalidSpecException e) {
            return Optional.empty();
        }
    }

    @Override
    public ConsoleStream open(GuestId id) {
        if (state(id) == GuestState.ABSENT) throw new GuestNotFoundException(id);
        return LibvirtConsoleStream.open(uri, id);
    }

    @Override
    public GuestStats read(GuestId id) {
        Connect c = connection();
        try {
            Domain domain = lookup(c, id).orElseThrow(() -> new GuestNotFoundException(id));
            if (domain.isActive() != 1) throw new DriverException("guest " + id + " is not running; start it to read its usage");
            long cpuNanos = domain.getInfo().cpuTime;
            long memoryBytes = -1;
            for (MemoryStatistic stat : domain.memoryStats(16)) {
                if (stat.getTag() == MEMORY_STAT_RSS) memoryBytes = stat.getValue() * 1024;
            }
            var disk = domain.blockStats(hypervisor.diskTarget(0));
            long rx = -1;
            long tx = -1;
            for (String device : interfaceDevices(domain)) {
                var nic = domain.interfaceStats(device);
                rx = Math.max(rx, 0) + nic.rx_bytes;
                tx = Math.max(tx, 0) + nic.tx_bytes;
            }
            return new GuestStats(cpuNanos, memoryBytes, disk.rd_bytes, disk.wr_bytes, rx, tx);
        } catch (LibvirtException e) {
            throw failure("read the usage of", id, e);
        }
    }

    /**
     * Xen PV domains have no virtio port for the QEMU guest agent: no GuestExec there; and libvirt's libxl driver
     * takes no snapshots. QEMU guests' snapshots are internal qcow2 snapshots ({@link LibvirtSnapshots}); their suspend
     * is managed save ({@link LibvirtSuspend}, not offered for Xen: untested there).
     */
    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        if (type == GuestExec.class && hypervisor != Hypervisor.QEMU) return Optional.empty();
        if (type == Snapshots.class) return hypervisor == Hypervisor.QEMU ? Optional.of(type.cast(snapshots)) : Optional.empty();
        if (type == Suspend.class) return hypervisor == Hypervisor.QEMU ? Optional.of(type.cast(suspend)) : Optional.empty();
        return Driver.super.capability(type);
    }

    @Override
    public ExecResult exec(GuestId id, ExecCommand command) {
        return agentOf(id).exec(command);
    }

    @Override
    public void copyIn(GuestId id, Path hostFile, String guestPath, boolean executable) {
        byte[] content;
        try {
            content = Files.readAllBytes(hostFile);
        } catch (IOException e) {
            throw new DriverException("cannot read " + hostFile + " to copy it into guest " + id + ": " + e.getMessage(), e);
        }
        Duration timeout = COPY_TIMEOUT.plusSeconds(content.length / COPY_BYTES_PER_SECOND);
        agentOf(id).copyIn(content, guestPath, executable, timeout);
    }

    /** The guest agent of a running QEMU guest; every call on it goes through libvirt with a timeout. */
    private GuestAgent agentOf(GuestId id) {
        if (hypervisor != Hypervisor.QEMU) {
            throw new DriverException("running programs in Xen guests is not supported (no QEMU guest agent channel)");
        }
        Connect c = connection();
        try {
            Domain domain = lookup(c, id).orElseThrow(() -> new GuestNotFoundException(id));
            if (domain.isActive() != 1) throw new DriverException("guest " + id + " is not running; start it first");
            return new GuestAgent(id, (json, timeoutSeconds) -> domain.qemuAgentCommand(json, timeoutSeconds, 0), clock);
        } catch (LibvirtException e) {
            throw failure("reach the guest agent of", id, e);
        }
    }

    private Optional<Domain> lookup(Connect c, GuestId id) throws LibvirtException {
        return LibvirtCalls.lookup(() -> c.domainLookupByName(id.value()));
    }

    private boolean waitUntilStopped(Domain domain, Duration timeout) throws LibvirtException {
        Instant deadline = clock.instant().plus(timeout);
        while (clock.instant().isBefore(deadline)) {
            if (domain.isActive() != 1) return true;
            sleep(POLL);
        }
        return domain.isActive() != 1;
    }

    private static void forceOff(Domain domain) throws LibvirtException {
        try {
            domain.destroy();
        } catch (LibvirtException e) {
            if (!isNotRunning(e)) throw e;
        }
    }

    private static boolean isNotRunning(LibvirtException e) {
        return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_OPERATION_INVALID;
    }

    private static List<String> bridgesOf(Domain domain) throws LibvirtException {
        List<String> names = new ArrayList<>();
        NodeList interfaces = XmlDocuments.parse(domain.getXMLDesc(0)).getElementsByTagName("interface");
        for (int i = 0; i < interfaces.getLength(); i++) {
            Element nic = (Element) interfaces.item(i);
            if (!"bridge".equals(nic.getAttribute("type"))) continue;
            NodeList sources = nic.getElementsByTagName("source");
            if (sources.getLength() > 0) names.add(((Element) sources.item(0)).getAttribute("bridge"));
        }
        return names;
    }

    /** The plan's bandwidth that create recorded in the domain's metadata; 0 when unlimited. */
    private static int bandwidthOf(Domain domain) throws LibvirtException {
        NodeList limits = XmlDocuments.parse(domain.getXMLDesc(0))
                .getElementsByTagNameNS(DomainXml.METADATA_NAMESPACE, "bandwidth");
        return limits.getLength() == 0 ? 0 : Integer.parseInt(limits.item(0).getTextContent().strip());
    }

    /** Host-side device names of the running guest's interfaces (libvirt picks them at start). */
    private static List<String> interfaceDevices(Domain domain) throws LibvirtException {
        List<String> devices = new ArrayList<>();
        NodeList interfaces = XmlDocuments.parse(domain.getXMLDesc(0)).getElementsByTagName("interface");
        for (int i = 0; i < interfaces.getLength(); i++) {
            NodeList targets = ((Element) interfaces.item(i)).getElementsByTagName("target");
            if (targets.getLength() > 0) devices.add(((Element) targets.item(0)).getAttribute("dev"));
        }
        return devices;
    }

    private synchronized Connect connection() {
        if (connect != null) {
            try {
                if (connect.isAlive()) return connect;
            } catch (LibvirtException e) {
                // Reconnect below.
            }
            try {
                connect.close();
            } catch (LibvirtException e) {
                // The old connection is dead anyway.
            }
            connect = null;
        }
        try {
            connect = new Connect(uri);
            keepAlive(connect);
            return connect;
        } catch (LibvirtException e) {
            throw new DriverException("cannot connect to libvirt at " + uri + ": " + LibvirtCalls.message(e), e);
        }
    }

    /** Bounds every call on the connection: libvirt closes it when libvirtd stops answering. Best effort. */
    private static void keepAlive(Connect connection) {
        try {
            connection.setKeepAlive(KEEPALIVE_INTERVAL_SECONDS, KEEPALIVE_COUNT);
        } catch (LibvirtException e) {
            // A driver without keepalive support: calls then wait as long as libvirt does.
        }
    }

    private DriverException failure(String action, GuestId id, LibvirtException e) {
        return new DriverException("could not " + action + " guest " + id + " at " + uri + ": " + LibvirtCalls.message(e), e);
    }

    private static String version(long packed) {
        return (packed / 1_000_000) + "." + (packed / 1_000 % 1_000) + "." + (packed % 1_000);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while waiting for a guest");
        }
    }

    @Override
    public synchronized void close() {
        if (connect == null) return;
        try {
            connect.close();
        } catch (LibvirtException e) {
            // Closing a dead connection: nothing left to release.
        }
        connect = null;
    }
}
