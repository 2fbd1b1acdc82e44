package dev.slice.driver;

/**
 * The kinds of guest a node can run. A plan names one kind; placement only picks nodes whose
 * drivers offer it. The {@link #id()} is what the database and the REST API store.
 */
public enum BackendKind {
    OCI("oci", Family.OS_LEVEL, "Container (OCI runtime)"),
    QEMU("qemu", Family.FULL, "Virtual machine (KVM or QEMU emulation, libvirt)"),
    XEN("xen", Family.PARAVIRTUAL, "Xen paravirtual domain (libvirt)"),
    UML("uml", Family.PARAVIRTUAL, "User-Mode Linux"),
    EMULATOR("emulator", Family.FULL, "RISC-V machine (Slice's own emulator)");

    public enum Family { FULL, PARAVIRTUAL, OS_LEVEL }

    private final String id;
    private final Family family;
    private final String label;

    BackendKind(String id, Family family, String label) {
        this.id = id;
        this.family = family;
        this.label = label;
    }

    public String id() { return id; }
    public Family family() { return family; }
    public String label() { return label; }

    public static BackendKind fromId(String id) {
        for (BackendKind kind : values()) {
            if (kind.id.equals(id)) return kind;
        }
        throw new IllegalArgumentException("unknown backend kind '" + id + "'");
    }
}
