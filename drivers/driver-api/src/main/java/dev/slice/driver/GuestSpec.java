package dev.slice.driver;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a driver needs to create one guest. Drivers never see accounts, plans or prices.
 *
 * @param template OS template name, e.g. {@code debian-12}; each driver maps it to its own image form
 */
public record GuestSpec(GuestId id, String hostname, Resources resources, String template,
                        NetworkConfig network, Credentials credentials) {

    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern TEMPLATE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

    public GuestSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(credentials, "credentials");
        if (hostname == null || !HOSTNAME.matcher(hostname).matches()) {
            throw new InvalidSpecException("hostname '" + hostname
                    + "' is not a valid lower-case DNS name (labels of a-z, 0-9 and '-', at most 63 characters each)");
        }
        if (template == null || !TEMPLATE.matcher(template).matches()) {
            throw new InvalidSpecException("OS template name '" + template + "' is not valid");
        }
    }

    public GuestSpec withResources(Resources newResources) {
        return new GuestSpec(id, hostname, newResources, template, network, credentials);
    }
}
