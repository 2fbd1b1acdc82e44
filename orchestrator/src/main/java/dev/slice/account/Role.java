package dev.slice.account;

import java.util.Locale;

/** Operator > reseller > customer. {@link #id()} is what the database stores. */
public enum Role {
    OPERATOR, RESELLER, CUSTOMER;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static Role fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }
}
