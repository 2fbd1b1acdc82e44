package dev.slice.placement;

/**
 * Where a new server may go besides "it fits".
 *
 * @param nodeGroup the plan's group (a location); null: any group
 * @param ownerId   the customer the server is for: among nodes that fit, those with fewer of its servers come first
 *                  (its servers spread over the nodes); null: no customer
 * @param separate  the customer asked for a node with none of its servers (anti-affinity): no such node, no placement
 */
public record Constraints(String nodeGroup, Long ownerId, boolean separate) {
    public static final Constraints NONE = new Constraints(null, null, false);
}
