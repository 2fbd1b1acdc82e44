package dev.slice.order;

/** The new server and the job that provisions it. */
public record OrderResult(long serverId, long jobId) {}
