package dev.slice.driver.firstboot;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.NetworkConfig;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a new guest applies at its first boot, the same for every backend: its hostname, root's
 * password hash and SSH keys, and its network interface. Every driver packs it into its own medium
 * ({@link SettingsFile} is the one serialised form) and every template applies it with the one
 * guest-side script, {@code deploy/guest/slice-firstboot}.
 *
 * <p>This is the one place that decides what text may reach a guest: each value must fit one line
 * of the settings file and be what the script expects, and a bad value is refused naming its field.
 *
 * @param rootPasswordHash crypt(3) hash, or null to leave root's password locked
 * @param network          the guest's one interface, or null for a guest without network
 */
public record FirstBootSettings(String hostname, String rootPasswordHash, List<String> sshAuthorizedKeys, Network network) {
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern CIDR = Pattern.compile(IPV4.pattern() + "/(3[0-2]|[12]?\\d)");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern CRYPT_HASH = Pattern.compile("\\$(6|5|y)\\$[./A-Za-z0-9$=,]+");
    /** An authorized_keys line: optional options, then a key type and its base64 blob, then an optional comment. */
    private static final Pattern KEY_LINE = Pattern.compile(
            "(\\S.*\\s)?(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9]+|sk-[a-z0-9-]+@openssh\\.com) [A-Za-z0-9+/]+={0,3}( .*)?");
    /** More keys than anyone has; keeps a settings file small enough for every medium. */
    static final int MAX_KEYS = 64;
    static final int MAX_KEY_LENGTH = 16 * 1024;
    static final int MAX_DNS_SERVERS = 8;

    /**
     * The guest's interface as the guest sees it: the interface with this MAC becomes {@code eth0}.
     *
     * @param address IPv4 address with its prefix length, e.g. {@code 10.77.0.12/24}
     */
    public record Network(String mac, String address, String gateway, List<String> dns) {
        public Network {
            check("network.mac", mac, MAC, "lower-case aa:bb:cc:dd:ee:ff");
            check("network.address", address, CIDR, "IPv4 address/prefix length");
            check("network.gateway", gateway, IPV4, "IPv4 address");
            dns = dns == null ? List.of() : List.copyOf(dns);
            if (dns.size() > MAX_DNS_SERVERS) {
                throw invalid("network.dns", "at most " + MAX_DNS_SERVERS + " DNS servers, got " + dns.size());
            }
            for (int i = 0; i < dns.size(); i++) check("network.dns[" + i + "]", dns.get(i), IPV4, "IPv4 address");
        }

        public String ip() { return address.substring(0, address.indexOf('/')); }
    }

    public FirstBootSettings {
        check("hostname", hostname, HOSTNAME, "lower-case DNS name");
        if (rootPasswordHash != null) {
            checkCharacters("rootPasswordHash", rootPasswordHash);
            // Never echoed: even a malformed hash may be close to a real one.
            if (!CRYPT_HASH.matcher(rootPasswordHash).matches()) throw invalid("rootPasswordHash", "is not a crypt(3) hash ($6$, $5$ or $y$)");
        }
        sshAuthorizedKeys = sshAuthorizedKeys == null ? List.of() : List.copyOf(sshAuthorizedKeys);
        if (sshAuthorizedKeys.size() > MAX_KEYS) {
            throw invalid("sshAuthorizedKeys", "at most " + MAX_KEYS + " keys, got " + sshAuthorizedKeys.size());
        }
        for (int i = 0; i < sshAuthorizedKeys.size(); i++) checkKey("sshAuthorizedKeys[" + i + "]", sshAuthorizedKeys.get(i));
    }

    /** The settings of the guest {@code spec} describes; refuses a spec whose values cannot safely reach a guest. */
    public static FirstBootSettings of(GuestSpec spec) {
        Credentials credentials = spec.credentials();
        NetworkConfig network = spec.network();
        return new FirstBootSettings(spec.hostname(), credentials.rootPasswordHash(), credentials.sshAuthorizedKeys(),
                network == null ? null : new Network(network.mac(), network.address(), network.gateway(), network.dns()));
    }

    /** The first label of the hostname, e.g. {@code web-1} of {@code web-1.example.test}. */
    public String shortHostname() {
        int dot = hostname.indexOf('.');
        return dot < 0 ? hostname : hostname.substring(0, dot);
    }

    private static void checkKey(String field, String key) {
        if (key == null) throw invalid(field, "is missing");
        if (key.length() > MAX_KEY_LENGTH) throw invalid(field, "is longer than " + MAX_KEY_LENGTH + " characters");
        checkCharacters(field, key);
        if (!key.equals(key.strip())) throw invalid(field, "starts or ends with white space");
        if (!KEY_LINE.matcher(key).matches()) throw invalid(field, "is not an SSH public key line (type, base64 key, comment)");
    }

    private static void check(String field, String value, Pattern format, String expected) {
        if (value == null) throw invalid(field, "is missing");
        checkCharacters(field, value);
        if (!format.matcher(value).matches()) throw invalid(field, "'" + value + "' is not a " + expected);
    }

    /** No control characters (C0, DEL, C1): each would end the line or reach a terminal or file unescaped. */
    private static void checkCharacters(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                throw invalid(field, "has the control character U+%04X at position %d".formatted((int) c, i));
            }
        }
    }

    private static InvalidSpecException invalid(String field, String problem) {
        return new InvalidSpecException("first-boot setting " + field + " " + problem);
    }
}
