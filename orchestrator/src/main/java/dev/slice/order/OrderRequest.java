package dev.slice.order;

import java.util.List;

/**
 * A new server.
 *
 * @param ownerId      the customer it is for; null means the caller (resellers and operators may order for their customers)
 * @param rootPassword clear text, checked and hashed ($6$) at once; may be empty when SSH keys are given
 * @param separateFromMyServers true: only on a node where the customer has no other server (anti-affinity), else refused;
 *                     null or false: the customer's servers are spread over the nodes as far as they fit
 */
public record OrderRequest(long planId, String hostname, String template, String rootPassword, List<String> sshKeys, Long ownerId,
                           Boolean separateFromMyServers) {
    public OrderRequest {
        sshKeys = sshKeys == null ? List.of() : sshKeys;
    }

    public OrderRequest(long planId, String hostname, String template, String rootPassword, List<String> sshKeys, Long ownerId) {
        this(planId, hostname, template, rootPassword, sshKeys, ownerId, null);
    }
}
