package dev.slice.driver.capability;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.InvalidSpecException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Boots a guest from a rescue system instead of its own: a fresh root file system made from a template, with root's
 * one-time password, the guest's own hostname and network, and the guest's own disk attached as a block device that
 * nothing mounts ({@link #disk}), so the customer can check, repair or copy it by hand. Leaving boots the guest's own
 * system again from its disk; the rescue system's root is thrown away.
 *
 * <p>Being in rescue is kept on the host, not in the driver: every later start (a reboot, a host restart, another
 * driver instance) boots the rescue system again until {@link #leave}. Both operations are idempotent, so a job that
 * repeats its step converges.
 */
public interface Rescue extends Capability {

    /**
     * Shuts the guest down (gracefully within {@code shutdown}, then by force) and boots the rescue system; a stopped
     * guest is booted into it as well. A guest in rescue already with the same spec is left in it (started if it was
     * stopped).
     *
     * @throws dev.slice.driver.DriverException when the guest is in rescue with another spec (leave first), the
     *                                          rescue template is missing on this host, or the rescue system did not
     *                                          start (the guest is then left stopped, in rescue, so a retry or a
     *                                          leave converges)
     * @throws dev.slice.driver.GuestNotFoundException when there is no such guest
     */
    void enter(GuestId id, RescueSpec spec, Duration shutdown);

    /**
     * Shuts the rescue system down (gracefully within {@code shutdown}, then by force), discards its root, and boots the
     * guest's own system. A guest that is not in rescue is left as it is.
     */
    void leave(GuestId id, Duration shutdown);

    /** Whether the guest's next (or current) boot is the rescue system's. */
    boolean inRescue(GuestId id);

    /** How the guest's own disk appears inside this backend's rescue systems. */
    RescueDisk disk();

    /**
     * What a rescue system is made of.
     *
     * @param template the OS template its root is made from, e.g. {@code debian-12}
     * @param root     root's one-time password hash (required) and SSH keys
     */
    record RescueSpec(String template, Credentials root) {
        private static final Pattern TEMPLATE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

        public RescueSpec {
            if (template == null || !TEMPLATE.matcher(template).matches()) {
                throw new InvalidSpecException("rescue template name '" + template + "' is not valid");
            }
            if (root == null || root.rootPasswordHash() == null) {
                throw new InvalidSpecException("a rescue system needs root's one-time password hash");
            }
        }

        /** Identifies the spec (equal specs, equal fingerprints), so a repeated enter can tell "same" from "another". */
        public String fingerprint() {
            String canonical = template + "\n" + root.rootPasswordHash() + "\n" + String.join("\n", root.sshAuthorizedKeys());
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest, 0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() { return "RescueSpec[template=" + template + "]"; } // never the hash
    }

    /**
     * The guest's disk as the rescue system sees it.
     *
     * @param device        its device node in the rescue system, e.g. {@code /dev/ubdc}
     * @param mountable     whether root in the rescue system may mount it (a container lacks the privilege; its
     *                      disk is then read and written with debugfs, or checked with e2fsck)
     * @param rootDirectory where the guest's own {@code /} is inside the disk's file system: {@code /} for a disk that
     *                      is the root file system, {@code /upper} for a container's writable layer
     */
    record RescueDisk(String device, boolean mountable, String rootDirectory) {
        public RescueDisk {
            if (device == null || !device.startsWith("/dev/")) throw new IllegalArgumentException("a device node under /dev/");
            if (rootDirectory == null || !rootDirectory.startsWith("/")) throw new IllegalArgumentException("an absolute directory");
        }

        /** {@code path} of the guest's own system as a path inside the disk's file system. */
        public String pathOnDisk(String path) {
            return rootDirectory.equals("/") ? path : rootDirectory + path;
        }
    }
}
