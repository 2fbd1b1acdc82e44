package dev.slice.order;

import java.util.List;

/**
 * A new server.
 *
 * @param ownerId      the customer it is for; null means the caller (resellers and operators may order for their customers)
 * @param rootPassword clear text, checked and hashed ($6$) at once; may be empty when SSH keys are given
 */
public record OrderRequest(long planId, String hostname, String template, String rootPassword, List<String> sshKeys, Long ownerId) {
    public OrderRequest {
        sshKeys = sshKeys == null ? List.of() : sshKeys;
    }
}
