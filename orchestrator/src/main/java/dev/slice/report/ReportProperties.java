package dev.slice.report;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of benchmark runs ({@code slice.reports.*}).
 *
 * @param bridge      the bridge a run makes for its guests, and removes after (never the node's guest bridge)
 * @param network     its /24 subnet: the host end (the TCP peer) is .1, guests from .10
 * @param bootTimeout how long a guest may take from create to answering a command
 */
@ConfigurationProperties("slice.reports")
public record ReportProperties(String bridge, String network, Duration bootTimeout) {
    public ReportProperties {
        if (bridge == null || bridge.isBlank()) bridge = "slicebench0";
        if (network == null || network.isBlank()) network = "10.78.0.0/24";
        if (bootTimeout == null) bootTimeout = Duration.ofMinutes(3);
        if (!network.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.0/24")) {
            throw new IllegalArgumentException("slice.reports.network must be a /24 such as 10.78.0.0/24, not " + network);
        }
    }

    String prefix() { return network.substring(0, network.lastIndexOf('.')); }

    String gateway() { return prefix() + ".1"; }

    String guestCidr(int index) { return prefix() + "." + (10 + index) + "/24"; }

    String guestMac(int index) {
        String[] octets = prefix().split("\\.");
        return String.format("52:54:00:%02x:%02x:%02x", Integer.parseInt(octets[1]), Integer.parseInt(octets[2]), 10 + index);
    }
}
