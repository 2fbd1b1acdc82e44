package dev.slice.provisioning;

import dev.slice.driver.Credentials;
import dev.slice.driver.capability.Rescue.RescueSpec;
import dev.slice.job.PermanentJobFailure;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A rescue job's parameters: the one-time root password's hash (never its clear text) and root's SSH keys in the
 * rescue system. Kept in the job, so a retried step boots the same rescue system, which the driver then recognises.
 */
public final class RescueParams {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RescueParams() {}

    public static String write(String rootPasswordHash, List<String> sshKeys) {
        ObjectNode params = JSON.createObjectNode().put("rootPasswordHash", rootPasswordHash);
        sshKeys.forEach(params.putArray("sshKeys")::add);
        return params.toString();
    }

    /** The rescue system of the job, made of {@code template}. */
    static RescueSpec read(String params, String template) {
        JsonNode node = JSON.readTree(params);
        String hash = node.path("rootPasswordHash").asString(null);
        if (hash == null) throw new PermanentJobFailure("the rescue job has no one-time root password hash");
        List<String> keys = new ArrayList<>();
        node.path("sshKeys").forEach(key -> keys.add(key.asString()));
        return new RescueSpec(template, new Credentials(hash, keys));
    }
}
