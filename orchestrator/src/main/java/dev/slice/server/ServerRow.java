package dev.slice.server;

import java.util.List;

/** A server row as jobs and services use it internally (includes the root password hash). */
public record ServerRow(long id, String guestId, long ownerId, Long ownerParentId, long planId, long nodeId, String backend,
                        String hostname, String template, int vcpus, long memoryMiB, long diskMiB, int bandwidthMbit,
                        ServerStatus status, PowerState powerState, String ipv4, String mac, String rootPasswordHash,
                        List<String> sshKeys, long version) {}
