package dev.slice.server;

/** Published inside the transaction of a resize: the server is on another plan from now on (billing meters the new price). */
public record ServerPlanChanged(long serverId, long planId, long monthlyPriceMinor) {}
