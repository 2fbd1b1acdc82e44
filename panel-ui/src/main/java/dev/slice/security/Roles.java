package dev.slice.security;

/** The three account roles as Spring Security role names (used in {@code @RolesAllowed}). */
public final class Roles {
    public static final String OPERATOR = "OPERATOR";
    public static final String RESELLER = "RESELLER";
    public static final String CUSTOMER = "CUSTOMER";

    private Roles() {}
}
