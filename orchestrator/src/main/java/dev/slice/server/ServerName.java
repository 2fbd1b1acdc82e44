package dev.slice.server;

/** How a server is named where only its id is at hand (a job, a log line): its hostname and its owner's user name. */
public record ServerName(long id, String hostname, String ownerUsername, long ownerId, Long ownerParentId) {

    /** "web1.example.com (carol)". */
    public String label() {
        return hostname + " (" + ownerUsername + ")";
    }
}
